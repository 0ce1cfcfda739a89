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

  it("offers customer notices under administration only to who administers notifications", () => {
    const settings = (can: (p: string) => boolean) =>
      visibleNavigation(can)
        .find((item) => item.path === "/settings")
        ?.children?.map((child) => child.path) ?? [];
    expect(settings((p) => p === "notifications:admin")).toEqual(["/settings/customer-notices"]);
    expect(settings((p) => p !== "notifications:admin")).not.toContain(
      "/settings/customer-notices",
    );
  });
});
