import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { toGateValues } from "./GateDialog";

describe("toGateValues", () => {
  it("sends filled fields as the opportunity's changes and the reason apart", () => {
    const values = toGateValues({
      needs: "Three lines",
      amount: "50000.00",
      expected_close: dayjs("2027-01-31"),
      contract_number: "",
      reason: "Budget cut",
    });
    expect(values).toEqual({
      changes: { needs: "Three lines", amount: "50000.00", expected_close: "2027-01-31" },
      reason: "Budget cut",
    });
  });

  it("sends no change when only a reason is asked for", () => {
    expect(toGateValues({ reason: "Lost to a rival" })).toEqual({
      changes: {},
      reason: "Lost to a rival",
    });
  });
});
