import { describe, expect, it } from "vitest";

import { fileSize } from "./fileSize";

describe("a file's size", () => {
  it("is told in bytes, KB or MB with at most one decimal", () => {
    expect(fileSize(512, "en")).toBe("512 bytes");
    expect(fileSize(1536, "en")).toBe("1.5 kB");
    expect(fileSize(5 * 1024 * 1024, "en")).toBe("5 MB");
    expect(fileSize(2048, "zh-CN")).toMatch(/^2\s?kB$/);
  });
});
