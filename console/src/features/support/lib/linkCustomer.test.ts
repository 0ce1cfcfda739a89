import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/problem";

import en from "../locales/en.json";
import zh from "../locales/zh-CN.json";

import { linkProblemKey } from "./linkCustomer";

describe("linkProblemKey", () => {
  it("tells a ticket already linked", () => {
    expect(linkProblemKey(new ApiError(409, { detail: "Ticket already has a customer." }))).toBe(
      "link.alreadyLinked",
    );
  });

  it("tells an unknown customer only when the service names the customer field", () => {
    const unknown = new ApiError(422, {
      errors: [{ field: "body.customer_id", reason: "no such customer" }],
    });
    expect(linkProblemKey(unknown)).toBe("link.unknownCustomer");
    const other = new ApiError(422, { errors: [{ field: "body.other", reason: "bad" }] });
    expect(linkProblemKey(other)).toBeNull();
  });

  it("leaves other failures to the common text", () => {
    expect(linkProblemKey(new ApiError(412, {}))).toBeNull();
    expect(linkProblemKey(new ApiError(503, {}))).toBeNull();
    expect(linkProblemKey(new Error("offline"))).toBeNull();
  });

  it("has every sentence in both languages", () => {
    for (const key of ["alreadyLinked", "unknownCustomer"] as const) {
      expect(en.link[key]).toBeTruthy();
      expect(zh.link[key]).toBeTruthy();
    }
  });
});
