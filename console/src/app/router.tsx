/**
 * The routes: the shell, then one lazily loaded bundle per feature, so a rep's phone
 * downloads the sales screens only when it opens them. A screen that fails (its bundle
 * gone after a redeployment, or an error while showing it) shows its error inside the
 * shell, with the menu; a failure of the shell itself, on a page of its own.
 */
import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";

import { RootRouteError, RouteError } from "@/components/ErrorScreen";
import { followRouter } from "@/components/newVersion";
import { NotFound } from "@/components/NotFound";

import { Shell } from "./Shell";

type Module = { default: ComponentType };

const feature = (load: () => Promise<Module>) => async () => ({
  Component: (await load()).default,
});

const routes: RouteObject[] = [
  {
    path: "/",
    Component: Shell,
    ErrorBoundary: RootRouteError,
    children: [
      {
        // No path and no component: it only puts a screen's error inside the shell.
        ErrorBoundary: RouteError,
        children: [
          { index: true, lazy: feature(() => import("@/features/home/HomeRoutes")) },
          {
            path: "customers/*",
            lazy: feature(() => import("@/features/customers/CustomersRoutes")),
          },
          { path: "sales/*", lazy: feature(() => import("@/features/sales/SalesRoutes")) },
          {
            path: "marketing/*",
            lazy: feature(() => import("@/features/marketing/MarketingRoutes")),
          },
          { path: "support/*", lazy: feature(() => import("@/features/support/SupportRoutes")) },
          {
            path: "analytics/*",
            lazy: feature(() => import("@/features/analytics/AnalyticsRoutes")),
          },
          { path: "settings/*", lazy: feature(() => import("@/features/settings/SettingsRoutes")) },
          {
            path: "notifications/*",
            lazy: feature(() => import("@/features/notifications/NotificationsRoutes")),
          },
          { path: "*", Component: NotFound },
        ],
      },
    ],
  },
];

let router: ReturnType<typeof createBrowserRouter> | undefined;

/** The one router, made when the signed-in console first shows: made on import, it
 * would start loading the screen of the address while a signed-out person is still
 * being shown the sign-in page. */
export function appRouter() {
  if (router === undefined) {
    const made = createBrowserRouter(routes);
    followRouter(() => made.state.navigation.state !== "idle");
    router = made;
  }
  return router;
}
