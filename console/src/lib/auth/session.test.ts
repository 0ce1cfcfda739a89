import { afterEach, describe, expect, it, vi } from "vitest";

import { currentAccessToken, refreshAccessToken, signIn, signOut } from "./session";

function answer(status: number, body: unknown = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("the browser session", () => {
  it("keeps the access token in memory and sends the console header", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValue(answer(200, { access_token: "a1", expires_in: 900 }));
    vi.stubGlobal("fetch", fetchMock);

    await signIn("rep@example.com", "secret");

    expect(currentAccessToken()).toBe("a1");
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(init.headers).toMatchObject({ "X-CRM-Console": "1" });
    expect(init.credentials).toBe("same-origin");
  });

  it("refreshes once for concurrent callers, since the refresh token rotates", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValue(answer(200, { access_token: "a2", expires_in: 900 }));
    vi.stubGlobal("fetch", fetchMock);

    const tokens = await Promise.all([refreshAccessToken(), refreshAccessToken()]);

    expect(tokens).toEqual(["a2", "a2"]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("forgets the token when the session is over", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValue(answer(400)));
    await refreshAccessToken();
    expect(currentAccessToken()).toBeNull();
  });

  it("forgets the token on sign-out even if the server cannot be reached", async () => {
    vi.stubGlobal("fetch", vi.fn().mockResolvedValueOnce(answer(200, { access_token: "a3" })));
    await signIn("rep@example.com", "secret");
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("offline")));
    await expect(signOut()).rejects.toThrow("offline");
    expect(currentAccessToken()).toBeNull();
  });
});
