import { describe, expect, it } from "vitest";

import { nextStatuses } from "./lifecycle";
import { queueQuery, sortOrder } from "./queue";

describe("queueQuery", () => {
  it("defaults to the newest first, twenty a page", () => {
    expect(queueQuery(new URLSearchParams(), "me")).toEqual({
      sort: "-opened_at",
      offset: 0,
      limit: 20,
    });
  });

  it("reads filters, mine, paging and sort from the address", () => {
    const params = new URLSearchParams(
      "status=new&status=reopened&priority=high&type=billing&mine=1&breached=1&page=3&size=50&sort=sla.resolution.due_at",
    );
    expect(queueQuery(params, "agent-1")).toEqual({
      status: ["new", "reopened"],
      priority: "high",
      type: "billing",
      assignee_id: "agent-1",
      sla_breached: true,
      sort: "sla.resolution.due_at",
      offset: 100,
      limit: 50,
    });
  });

  it("ignores values the API would refuse", () => {
    const params = new URLSearchParams(
      "status=bogus&priority=extreme&size=7&sort=-subject&page=-2",
    );
    expect(queueQuery(params, undefined)).toEqual({ sort: "-opened_at", offset: 0, limit: 20 });
  });
});

describe("sortOrder", () => {
  it("maps the request's sort to the column's order", () => {
    expect(sortOrder("-opened_at", "opened_at")).toBe("descend");
    expect(sortOrder("status", "status")).toBe("ascend");
    expect(sortOrder("status", "opened_at")).toBeNull();
  });
});

describe("nextStatuses", () => {
  it("offers the lifecycle's moves, not a bare assignment", () => {
    expect(nextStatuses("new")).toEqual([]);
    expect(nextStatuses("in_progress")).toEqual(["waiting_on_customer", "resolved"]);
    expect(nextStatuses("resolved")).toEqual(["closed", "reopened"]);
    expect(nextStatuses("closed")).toEqual([]);
  });
});
