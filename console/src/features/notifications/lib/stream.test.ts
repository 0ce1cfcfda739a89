import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Notification } from "../api/inbox";
import { followNotifications, retryDelay, STREAM_URL } from "./stream";

function item(sequence: number, urgent = false): Notification {
  return {
    notification_id: `n${sequence}`,
    kind: urgent ? "sla_breached" : "lead_assigned",
    title: `title ${sequence}`,
    body: "body",
    urgent,
    record: { type: "lead", id: "l1", path: "/sales/leads/l1" },
    created_at: "2026-03-01T09:00:00Z",
    read_at: null,
    sequence,
  };
}

const frame = (notification: Notification) =>
  `id: ${notification.sequence}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`;

/** A response streaming ``frames`` and then ending. */
function stream(...frames: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const text of frames) controller.enqueue(encoder.encode(text));
      controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
}

interface Call {
  url: string;
  authorization: string | null;
  lastEventId: string | null;
}

function scripted(...responses: (() => Response)[]) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(input),
      authorization: headers.get("Authorization"),
      lastEventId: headers.get("Last-Event-ID"),
    });
    const next = responses.shift();
    // Past the script: a stream that stays open (until the test aborts).
    return next
      ? next()
      : new Response(new ReadableStream(), {
          headers: { "Content-Type": "text/event-stream" },
        });
  });
  return { calls, fetch: fetch as unknown as typeof globalThis.fetch };
}

describe("followNotifications", () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  it("delivers each notification and resumes after a drop with Last-Event-ID and the current token", async () => {
    let token = "token-1";
    const { calls, fetch } = scripted(
      () => stream(frame(item(7)), ": keep-alive\n\n", frame(item(8))),
      () => stream(frame(item(9))),
    );
    const delivered: number[] = [];
    const opened = vi.fn();
    const controller = new AbortController();

    const following = followNotifications(
      {
        onNotification: (notification) => {
          delivered.push(notification.sequence);
          token = "token-2"; // refreshed meanwhile
        },
        onOpen: opened,
      },
      controller.signal,
      { fetch, token: () => token, refresh: async () => token },
    );
    await vi.waitFor(() => expect(calls).toHaveLength(3), { timeout: 5000 });
    controller.abort();
    await following;

    expect(delivered).toEqual([7, 8, 9]);
    expect(calls.map((call) => call.url)).toEqual([STREAM_URL, STREAM_URL, STREAM_URL]);
    expect(calls.map((call) => call.authorization)).toEqual([
      "Bearer token-1",
      "Bearer token-2",
      "Bearer token-2",
    ]);
    expect(calls.map((call) => call.lastEventId)).toEqual([null, "8", "9"]);
    expect(opened).toHaveBeenCalledTimes(3);
  });

  it("refreshes the access token once after a 401 and connects with the new one", async () => {
    let token = "expired";
    const { calls, fetch } = scripted(() => new Response(null, { status: 401 }));
    const refresh = vi.fn(async () => {
      token = "fresh";
      return token;
    });
    const controller = new AbortController();

    const following = followNotifications({ onNotification: () => undefined }, controller.signal, {
      fetch,
      token: () => token,
      refresh,
    });
    await vi.waitFor(() => expect(calls).toHaveLength(2), { timeout: 5000 });
    controller.abort();
    await following;

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls.map((call) => call.authorization)).toEqual(["Bearer expired", "Bearer fresh"]);
  });

  it("stops following when the session is over", async () => {
    const { calls, fetch } = scripted(() => new Response(null, { status: 401 }));

    const following = followNotifications(
      { onNotification: () => undefined },
      new AbortController().signal,
      { fetch, token: () => "expired", refresh: async () => null },
    );

    await expect(following).rejects.toThrow("the session is over");
    expect(calls).toHaveLength(1);
  });
});

describe("retryDelay", () => {
  it("backs off from a second to at most half a minute", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelay)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });
});
