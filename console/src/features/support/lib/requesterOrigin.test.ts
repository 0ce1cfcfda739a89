import { describe, expect, it } from "vitest";

import type { Schemas } from "@/lib/api/client";

import { isUnverified, ticketOrigin } from "./requesterOrigin";

type Change = Schemas["TransitionOut"];

const opened = (actor: string | null): Change => ({
  actor_id: actor,
  at: "2026-12-01T09:00:00Z",
  from_status: null,
  to_status: "new",
  note: null,
});
const assigned: Change = {
  actor_id: "agent-2",
  at: "2026-12-01T09:05:00Z",
  from_status: "new",
  to_status: "assigned",
  note: null,
};

describe("ticketOrigin", () => {
  it("names the agent who entered a phone call, who spoke with the requester", () => {
    const origin = ticketOrigin({ channel: "phone", history: [opened("agent-1"), assigned] });
    expect(origin).toEqual({ kind: "agent", agentId: "agent-1" });
    expect(isUnverified(origin)).toBe(false);
  });

  it("keeps an agent's entry verified whatever channel they chose for it", () => {
    expect(ticketOrigin({ channel: "web", history: [opened("agent-1")] }).kind).toBe("agent");
  });

  it("tells the public form from mail among tickets nobody signed in opened", () => {
    const form = ticketOrigin({ channel: "web", history: [opened(null), assigned] });
    const mail = ticketOrigin({ channel: "email", history: [opened(null)] });
    expect(form).toEqual({ kind: "form" });
    expect(mail).toEqual({ kind: "email" });
    expect(isUnverified(form)).toBe(true);
    expect(isUnverified(mail)).toBe(true);
  });

  it("does not take a later step's actor for the opener", () => {
    expect(ticketOrigin({ channel: "web", history: [opened(null), assigned] }).kind).toBe("form");
  });
});
