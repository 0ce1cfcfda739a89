import { describe, expect, it } from "vitest";

import en from "../locales/en.json";
import zh from "../locales/zh-CN.json";

import { SAMPLE_FIELDS, sampleValues } from "./templateSample";

describe("sampleValues", () => {
  it("gives a Chinese reader a Chinese sample customer", () => {
    const values = sampleValues((field) => zh.template.sample[field]);
    expect(values.customer_name).toBe("李伟");
    expect(values.region).toBe("北京");
    expect(Object.keys(values)).toEqual([...SAMPLE_FIELDS]);
  });

  it("gives an English reader the English one", () => {
    const values = sampleValues((field) => en.template.sample[field]);
    expect(values.customer_name).toBe("Li Wei");
    expect(values.region).toBe("Beijing");
  });

  it("has every field in both languages", () => {
    for (const field of SAMPLE_FIELDS) {
      expect(zh.template.sample[field]).toBeTruthy();
      expect(en.template.sample[field]).toBeTruthy();
    }
  });
});
