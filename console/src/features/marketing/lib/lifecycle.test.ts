import { describe, expect, it } from "vitest";

import { isEditable, launchBlocker, statusActions, stepOf } from "./lifecycle";

const campaign = {
  status: "preparing" as const,
  channels: ["email" as const],
  segment_id: "s1",
  template_id: "t1",
  send: null,
};

describe("statusActions", () => {
  it("leaves running to the launch button for an e-mail campaign", () => {
    expect(statusActions(campaign)).toEqual(["planned", "cancelled"]);
  });

  it("offers running by status for a campaign without e-mail", () => {
    expect(statusActions({ ...campaign, channels: ["event"] })).toEqual([
      "planned",
      "running",
      "cancelled",
    ]);
  });

  it("offers nothing once a campaign is over", () => {
    expect(statusActions({ ...campaign, status: "completed" })).toEqual([]);
    expect(statusActions({ ...campaign, status: "cancelled" })).toEqual([]);
  });
});

describe("launchBlocker", () => {
  it("lets a preparing e-mail campaign with segment and template launch", () => {
    expect(launchBlocker(campaign)).toBeNull();
  });

  it("names what is missing, the status first", () => {
    expect(launchBlocker({ ...campaign, status: "planned" })).toBe("status");
    expect(launchBlocker({ ...campaign, segment_id: null })).toBe("segment");
    expect(launchBlocker({ ...campaign, template_id: null })).toBe("template");
    expect(launchBlocker({ ...campaign, channels: ["sms"] })).toBe("channel");
  });
});

describe("steps and editing", () => {
  it("puts each status on its step and allows edits only before running", () => {
    expect(stepOf("planned")).toBe(0);
    expect(stepOf("running")).toBe(2);
    expect(isEditable("preparing")).toBe(true);
    expect(isEditable("running")).toBe(false);
  });
});
