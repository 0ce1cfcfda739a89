import { describe, expect, it } from "vitest";

import { visibleNavigation } from "./navigation";

describe("visibleNavigation", () => {
  it("shows a rep sales and customers but no settings or marketing", () => {
    const rep = new Set(["customers:read", "leads:read", "sales:read", "tickets:read"]);
    const paths = visibleNavigation((p) => rep.has(p)).map((item) => item.path);
    expect(paths).toEqual(["/", "/customers", "/sales", "/support"]);
  });

  it("drops a group whose every entry needs a permission the person lacks", () => {
    const paths = visibleNavigation(() => false).map((item) => item.path);
    expect(paths).toEqual(["/"]);
  });
});
