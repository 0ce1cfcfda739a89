import { describe, expect, it } from "vitest";

import { ApiError, fieldPath, unwrap } from "./problem";

describe("fieldPath", () => {
  it("drops the request part and keeps list indexes as numbers", () => {
    expect(fieldPath("body.name")).toEqual(["name"]);
    expect(fieldPath("body.lines.0.quantity")).toEqual(["lines", 0, "quantity"]);
    expect(fieldPath("phone")).toEqual(["phone"]);
  });

  it("keeps a field named body (a template's, a comment's)", () => {
    expect(fieldPath("body.body")).toEqual(["body"]);
    expect(fieldPath("body.items.0.body")).toEqual(["items", 0, "body"]);
  });
});

describe("unwrap", () => {
  it("throws the problem with the response's status", () => {
    const response = new Response(null, { status: 422 });
    expect(() => unwrap({ error: { title: "Invalid" }, response })).toThrow(ApiError);
    try {
      unwrap({ error: { title: "Invalid" }, response });
    } catch (error) {
      expect((error as ApiError).status).toBe(422);
    }
  });

  it("returns the data of a success", () => {
    expect(unwrap({ data: { id: "c-1" }, response: new Response(null, { status: 200 }) })).toEqual({
      id: "c-1",
    });
  });
});
