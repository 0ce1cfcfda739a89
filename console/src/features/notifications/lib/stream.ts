/**
 * The live stream of the person's new notifications (Server-Sent Events through the
 * gateway). EventSource cannot send an Authorization header, so the stream is read
 * with fetch (@microsoft/fetch-event-source) carrying the in-memory access token, the
 * current one on every (re)connection. After a drop (network, the gateway ending a
 * stream when its token expires, the service's own limit) it reconnects with
 * `Last-Event-ID`, and the service first replays what was missed. A 401 refreshes the
 * token once per attempt; a session that is over, or a 403, ends following.
 */
import { EventStreamContentType, fetchEventSource } from "@microsoft/fetch-event-source";

import { currentAccessToken, refreshAccessToken } from "@/lib/auth/session";

import type { Notification } from "../api/inbox";

export const STREAM_URL = "/api/v1/notifications/stream";
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface StreamHandlers {
  /** Each notification the stream delivers (replayed ones after a drop too). */
  onNotification: (item: Notification) => void;
  /** The stream is (again) connected: what was missed meanwhile is worth reading again. */
  onOpen?: () => void;
}

export interface StreamDependencies {
  fetch: typeof fetch;
  token: () => string | null;
  refresh: () => Promise<string | null>;
}

const browser: StreamDependencies = {
  fetch: (...args) => window.fetch(...args),
  token: currentAccessToken,
  refresh: refreshAccessToken,
};

/** Stop following: no session, or no right to the stream. */
class StreamRefused extends Error {}
/** Try again after a pause. */
class StreamDropped extends Error {}

/** The pause before the ``attempt``-th reconnection in a row: 1 s, 2 s, 4 s ... 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}

/** Follow the stream until ``signal`` aborts (resolves) or following is refused
 * (rejects with the reason). */
export function followNotifications(
  handlers: StreamHandlers,
  signal: AbortSignal,
  dependencies: StreamDependencies = browser,
): Promise<void> {
  let failures = 0;
  return fetchEventSource(STREAM_URL, {
    signal,
    headers: { Accept: EventStreamContentType },
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      const token = dependencies.token();
      if (token) headers.set("Authorization", `Bearer ${token}`);
      return dependencies.fetch(input, { ...init, headers });
    },
    async onopen(response) {
      const type = response.headers.get("content-type") ?? "";
      if (response.ok && type.startsWith(EventStreamContentType)) {
        failures = 0;
        handlers.onOpen?.();
        return;
      }
      if (response.status === 401) {
        if (!(await dependencies.refresh())) throw new StreamRefused("the session is over");
        throw new StreamDropped("signed in again");
      }
      if (response.status === 403) throw new StreamRefused("no access to notifications");
      throw new StreamDropped(`the stream answered ${response.status}`);
    },
    onmessage(message) {
      if (message.event !== "notification" || !message.data) return;
      handlers.onNotification(JSON.parse(message.data) as Notification);
    },
    onclose() {
      // The server ended the stream (it does, to bound a connection's life): reconnect.
      throw new StreamDropped("the stream ended");
    },
    onerror(error: unknown) {
      if (error instanceof StreamRefused) throw error;
      failures += 1;
      return retryDelay(failures);
    },
  });
}
