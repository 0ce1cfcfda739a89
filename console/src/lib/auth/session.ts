/**
 * The browser session, as OAuth 2.0 for browser-based apps advises: the access token
 * lives in this module's memory only (never in storage), the refresh token in an
 * HttpOnly cookie the gateway sets on /api/v1/auth/session. A reload asks the gateway
 * for a new access token with that cookie.
 */

export const CONSOLE_HEADER = { "X-CRM-Console": "1" } as const;
const SESSION_URL = "/api/v1/auth/session";

interface SessionToken {
  access_token: string;
  expires_in: number;
}

type Listener = (signedIn: boolean) => void;

let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
const listeners = new Set<Listener>();

export function currentAccessToken(): string | null {
  return accessToken;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setToken(token: string | null): void {
  const changed = (token === null) !== (accessToken === null);
  accessToken = token;
  if (changed) listeners.forEach((listener) => listener(token !== null));
}

export class SignInError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(detail);
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const response = await fetch(SESSION_URL, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", ...CONSOLE_HEADER },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    const retryAfter = response.headers.get("Retry-After");
    throw new SignInError(
      response.status,
      problem.detail ?? response.statusText,
      retryAfter ? Number(retryAfter) : null,
    );
  }
  setToken(((await response.json()) as SessionToken).access_token);
}

/** A fresh access token from the cookie, or null when the session is over. Concurrent
 * callers share one request: the refresh token rotates, so two would revoke the family. */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch(`${SESSION_URL}/refresh`, {
        method: "POST",
        credentials: "same-origin",
        headers: CONSOLE_HEADER,
      });
      if (!response.ok) {
        setToken(null);
        return null;
      }
      const token = ((await response.json()) as SessionToken).access_token;
      setToken(token);
      return token;
    } catch {
      return accessToken; // offline: keep what we have, the next call retries
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function signOut(): Promise<void> {
  const headers: Record<string, string> = { ...CONSOLE_HEADER };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    await fetch(SESSION_URL, { method: "DELETE", credentials: "same-origin", headers });
  } finally {
    setToken(null);
  }
}
