import { describe, expect, it } from "vitest";

import { groupTasks, taskGroup } from "./taskGroups";

const now = new Date(2026, 11, 6, 10, 0, 0);
const at = (hour: number, day = 6) => new Date(2026, 11, day, hour, 0).toISOString();

describe("taskGroup", () => {
  it("puts what the service calls overdue first, the rest by due day", () => {
    expect(taskGroup({ due_at: at(9), overdue: true }, now)).toBe("overdue");
    expect(taskGroup({ due_at: at(18), overdue: false }, now)).toBe("today");
    expect(taskGroup({ due_at: at(9, 7), overdue: false }, now)).toBe("later");
    expect(taskGroup({ due_at: null, overdue: false }, now)).toBe("someday");
  });

  it("takes the service's word over the clock", () => {
    // Read a moment before it fell due: not overdue yet, so due today.
    expect(taskGroup({ due_at: at(9), overdue: false }, now)).toBe("today");
  });

  it("groups a list keeping its order", () => {
    const tasks = [
      { id: 1, due_at: at(12), overdue: false },
      { id: 2, due_at: null, overdue: false },
      { id: 3, due_at: at(11), overdue: false },
      { id: 4, due_at: at(8), overdue: true },
    ];
    const groups = groupTasks(tasks, now);
    expect(groups.overdue.map((task) => task.id)).toEqual([4]);
    expect(groups.today.map((task) => task.id)).toEqual([1, 3]);
    expect(groups.someday.map((task) => task.id)).toEqual([2]);
  });
});
