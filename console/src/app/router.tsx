/**
 * The routes: the shell, then one lazily loaded bundle per feature, so a rep's phone
 * downloads the sales screens only when it opens them.
 */
import type { ComponentType } from "react";
import { createBrowserRouter } from "react-router";

import { NotFound } from "@/components/NotFound";

import { Shell } from "./Shell";

type Module = { default: ComponentType };

const feature = (load: () => Promise<Module>) => async () => ({
  Component: (await load()).default,
});

export const router = createBrowserRouter([
  {
    path: "/",
    Component: Shell,
    children: [
      { index: true, lazy: feature(() => import("@/features/home/HomeRoutes")) },
      { path: "customers/*", lazy: feature(() => import("@/features/customers/CustomersRoutes")) },
      { path: "sales/*", lazy: feature(() => import("@/features/sales/SalesRoutes")) },
      { path: "marketing/*", lazy: feature(() => import("@/features/marketing/MarketingRoutes")) },
      { path: "support/*", lazy: feature(() => import("@/features/support/SupportRoutes")) },
      { path: "analytics/*", lazy: feature(() => import("@/features/analytics/AnalyticsRoutes")) },
      { path: "settings/*", lazy: feature(() => import("@/features/settings/SettingsRoutes")) },
      { path: "*", Component: NotFound },
    ],
  },
]);
