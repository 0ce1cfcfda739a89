import { describe, expect, it } from "vitest";

import { groupTasks, taskGroup } from "./taskGroups";

const now = new Date(2026, 11, 6, 10, 0, 0);

describe("taskGroup", () => {
  it("sorts a due date into overdue, today or later", () => {
    expect(taskGroup(new Date(2026, 11, 6, 9, 0).toISOString(), now)).toBe("overdue");
    expect(taskGroup(new Date(2026, 11, 6, 18, 0).toISOString(), now)).toBe("today");
    expect(taskGroup(new Date(2026, 11, 7, 9, 0).toISOString(), now)).toBe("later");
    expect(taskGroup(null, now)).toBe("someday");
  });

  it("groups a list keeping its order", () => {
    const tasks = [
      { id: 1, due_at: new Date(2026, 11, 6, 12).toISOString() },
      { id: 2, due_at: null },
      { id: 3, due_at: new Date(2026, 11, 6, 11).toISOString() },
    ];
    const groups = groupTasks(tasks, now);
    expect(groups.today.map((task) => task.id)).toEqual([1, 3]);
    expect(groups.someday.map((task) => task.id)).toEqual([2]);
  });
});
