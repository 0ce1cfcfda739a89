import { describe, expect, it } from "vitest";

import { fileNameOf } from "./download";

const withHeader = (value: string) =>
  new Response(null, { headers: { "Content-Disposition": value } });

describe("fileNameOf", () => {
  it("reads the quoted, the plain and the UTF-8 encoded name", () => {
    expect(fileNameOf(withHeader('attachment; filename="customers.csv"'), "x")).toBe(
      "customers.csv",
    );
    expect(fileNameOf(withHeader("attachment; filename=report.xlsx"), "x")).toBe("report.xlsx");
    expect(fileNameOf(withHeader("attachment; filename*=UTF-8''%E5%AE%A2%E6%88%B7.csv"), "x")).toBe(
      "客户.csv",
    );
  });

  it("falls back when the header names none", () => {
    expect(fileNameOf(new Response(null), "export.csv")).toBe("export.csv");
  });
});
