import { describe, expect, it } from "vitest";

import { predictionShown } from "./prediction";

describe("predictionShown", () => {
  it("reads the prediction as a fraction and the stage as a percent", () => {
    expect(predictionShown({ probability: "0.2000", stage_probability: "20" })).toEqual({
      ratio: 0.2,
      dial: 20,
      stageRatio: 0.2,
    });
  });

  it("rounds the dial to a whole percent", () => {
    expect(predictionShown({ probability: "0.8765", stage_probability: "60" }).dial).toBe(88);
  });

  it("keeps the certain outcomes at 0 and 100", () => {
    expect(predictionShown({ probability: "1", stage_probability: "100" })).toEqual({
      ratio: 1,
      dial: 100,
      stageRatio: 1,
    });
    expect(predictionShown({ probability: "0", stage_probability: "0" }).dial).toBe(0);
  });
});
