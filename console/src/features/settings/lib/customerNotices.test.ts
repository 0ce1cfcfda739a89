import { describe, expect, it } from "vitest";

import {
  fillIn,
  insertAt,
  placeholder,
  placeholdersIn,
  preview,
  sampleValues,
  sortedSteps,
  stepsProblem,
} from "./customerNotices";

describe("reminder steps", () => {
  it("takes whole days from 1 to 365, each once, at most ten, and none at all", () => {
    expect(stepsProblem([7, 1])).toBeNull();
    expect(stepsProblem([])).toBeNull();
    expect(stepsProblem([1, 365])).toBeNull();
    expect(stepsProblem([0])).toBe("wholeDays");
    expect(stepsProblem([366])).toBe("wholeDays");
    expect(stepsProblem([1.5])).toBe("wholeDays");
    expect(stepsProblem([null])).toBe("wholeDays");
    expect(stepsProblem([3, 3])).toBe("duplicate");
    expect(stepsProblem([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeNull();
    expect(stepsProblem([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe("tooMany");
  });

  it("are sent sorted, as the server keeps them", () => {
    expect(sortedSteps([30, 1, 7])).toEqual([1, 7, 30]);
  });
});

describe("inserting a placeholder", () => {
  it("replaces the selection and puts the caret after the placeholder", () => {
    expect(insertAt("Dear , thanks", placeholder("customer_name"), 5, 5)).toEqual({
      text: "Dear ${customer_name}, thanks",
      caret: 21,
    });
    expect(insertAt("Dear NAME!", "${x}", 5, 9)).toEqual({ text: "Dear ${x}!", caret: 9 });
  });

  it("appends when there is no caret, and keeps a caret beyond the text inside it", () => {
    expect(insertAt("Hi ", "${a}", null, null)).toEqual({ text: "Hi ${a}", caret: 7 });
    expect(insertAt("Hi", "${a}", 40, 50)).toEqual({ text: "Hi${a}", caret: 6 });
  });
});

describe("reading a template as the service does", () => {
  it("finds $name and ${name}, not $$ nor a lone $", () => {
    expect(placeholdersIn("${a} $b $$c ${a} $ 5 ${unclosed")).toEqual(["a", "b"]);
  });

  it("fills in known names, turns $$ into $, and leaves the rest as written", () => {
    expect(fillIn("${a}/$a/$$a/${zz}/$ 5/${x", { a: "1" })).toBe("1/1/$a/${zz}/$ 5/${x");
  });

  it("previews markup as text: a value or a template never becomes HTML", () => {
    const shown = preview(
      { subject: "<b>${customer_name}</b>", body: "<script>alert(1)</script> ${customer_name}" },
      { customer_name: "<img src=x onerror=alert(1)>" },
    );
    expect(shown.subject).toBe("<b><img src=x onerror=alert(1)></b>");
    expect(shown.body).toBe("<script>alert(1)</script> <img src=x onerror=alert(1)>");
  });

  it("keeps the subject on one line whatever a value holds", () => {
    const shown = preview({ subject: "Re: ${subject}", body: "${subject}" }, { subject: "a\nb" });
    expect(shown).toEqual({ subject: "Re: a b", body: "a\nb" });
  });

  it("has a sample for every variable a kind offers, in the customer's language", () => {
    const variables = ["customer_name", "status", "first_response_due", "days_overdue"];
    const zh = sampleValues(variables, "zh-CN");
    const en = sampleValues(variables, "en");
    expect(Object.keys(zh)).toEqual(variables);
    expect(zh.status).toBe("已发货");
    expect(en.status).toBe("shipped");
    expect(sampleValues(["brand_new"], "en")).toEqual({ brand_new: "brand_new" });
  });
});
