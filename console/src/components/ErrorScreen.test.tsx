import { render, screen } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { createMemoryRouter, Outlet, RouterProvider } from "react-router";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import en from "@/locales/en/common.json";
import zh from "@/locales/zh-CN/common.json";

import { RootRouteError, RouteError } from "./ErrorScreen";

beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: "en",
    resources: { en: { common: en }, "zh-CN": { common: zh } },
    defaultNS: "common",
    interpolation: { escapeValue: false },
  });
});

afterEach(async () => {
  window.sessionStorage.clear();
  await i18n.changeLanguage("en");
});

function Layout() {
  return (
    <div>
      <nav aria-label="Main menu">menu</nav>
      <main>
        <Outlet />
      </main>
    </div>
  );
}

const boom = new Error("the forecast has no pipeline");

function Broken(): never {
  throw boom;
}

function showScreen(path: string) {
  const router = createMemoryRouter(
    [
      {
        path: "/",
        Component: Layout,
        ErrorBoundary: RootRouteError,
        children: [
          {
            ErrorBoundary: RouteError,
            children: [
              {
                path: "sales/*",
                lazy: () =>
                  Promise.reject(
                    new TypeError(
                      "Failed to fetch dynamically imported module: http://localhost/assets/SalesRoutes-D_daAAoR.js",
                    ),
                  ),
              },
              { path: "broken", Component: Broken },
            ],
          },
        ],
      },
    ],
    { initialEntries: [path] },
  );
  return render(<RouterProvider router={router} />);
}

describe("RouteError", () => {
  it("says a screen whose code is gone belongs to a new version, inside the layout", async () => {
    showScreen("/sales/forecast");
    expect(
      await screen.findByRole("heading", { name: "A new version of the console is available" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main menu" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
    expect(screen.queryByText(/Failed to fetch/)).toBeNull();
    // The page was reloaded once by itself, and that is remembered against a loop.
    expect(window.sessionStorage.getItem("crm.console.newVersionReload")).toMatch(/"path":"\/"/);
  });

  it("says it in Chinese to a person who reads Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    showScreen("/sales/forecast");
    expect(await screen.findByRole("heading", { name: "控制台有新版本" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "重新加载" })).toBeInTheDocument();
  });

  it("says something went wrong for another error, with its message but no stack", async () => {
    // React and React Router report the caught error on the console; expected here.
    const reported = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { container } = showScreen("/broken");
    expect(
      await screen.findByRole("heading", { name: "Something went wrong" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main menu" })).toBeInTheDocument();
    expect(screen.getByText("Details: the forecast has no pipeline")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to home" })).toHaveAttribute("href", "/");
    expect(container.textContent).not.toContain("ErrorScreen.test");
    expect(container.textContent).not.toMatch(/\bat \w/);
    expect(window.sessionStorage.getItem("crm.console.newVersionReload")).toBeNull();
    reported.mockRestore();
  });
});
