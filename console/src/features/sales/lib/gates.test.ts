import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/problem";

import { missingGateFields } from "./gates";

const refusal = (...fields: string[]) =>
  new ApiError(422, {
    status: 422,
    errors: fields.map((field) => ({ field, reason: "Stage needs it." })),
  });

describe("missingGateFields", () => {
  it("reads the fields a gate names in one comma-separated error", () => {
    expect(missingGateFields(refusal("body.needs,decision_maker,contract_number"))).toEqual([
      "needs",
      "decision_maker",
      "contract_number",
    ]);
  });

  it("asks for a reason when the move to lost lacks one", () => {
    expect(missingGateFields(refusal("body.reason"))).toEqual(["reason"]);
  });

  it("ignores refusals no form can answer", () => {
    expect(missingGateFields(refusal("body.stage"))).toEqual([]);
    expect(missingGateFields(new ApiError(412, { status: 412 }))).toEqual([]);
    expect(missingGateFields(new Error("network"))).toEqual([]);
  });
});
