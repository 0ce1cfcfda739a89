import { describe, expect, it } from "vitest";

import { ifMatch } from "./concurrency";

describe("ifMatch", () => {
  it("sends the version quoted as the API's ETag", () => {
    expect(ifMatch(7)).toEqual({ "If-Match": '"7"' });
  });

  it("quotes a first version too", () => {
    expect(ifMatch(0)).toEqual({ "If-Match": '"0"' });
  });

  it("is one If-Match header whichever way a route spells its name", () => {
    const headers = new Headers(ifMatch(12));
    expect(headers.get("if-match")).toBe('"12"');
    expect([...headers.keys()]).toEqual(["if-match"]);
  });
});
