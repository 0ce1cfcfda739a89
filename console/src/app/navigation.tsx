/**
 * The console's menu: one entry per screen, each shown only to roles holding its
 * permission. Paths avoid the gateway's own (`/admin`, `/docs`, `/api`).
 */
import {
  AppstoreOutlined,
  BarChartOutlined,
  CustomerServiceOutlined,
  HomeOutlined,
  NotificationOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

export interface NavItem {
  path: string;
  label: string; // key in the common namespace
  permission?: string;
  icon?: ReactNode;
  children?: NavItem[];
}

export const NAVIGATION: NavItem[] = [
  { path: "/", label: "nav.home", icon: <HomeOutlined /> },
  {
    path: "/customers",
    label: "nav.customers",
    permission: "customers:read",
    icon: <TeamOutlined />,
  },
  {
    path: "/sales",
    label: "nav.sales",
    icon: <TrophyOutlined />,
    children: [
      { path: "/sales/leads", label: "nav.leads", permission: "leads:read" },
      { path: "/sales/pipeline", label: "nav.pipeline", permission: "sales:read" },
      { path: "/sales/quotes", label: "nav.quotes", permission: "sales:read" },
      { path: "/sales/orders", label: "nav.orders", permission: "sales:read" },
      { path: "/sales/tasks", label: "nav.tasks", permission: "sales:read" },
      { path: "/sales/forecast", label: "nav.forecast", permission: "sales:read" },
    ],
  },
  {
    path: "/marketing",
    label: "nav.marketing",
    icon: <NotificationOutlined />,
    children: [
      { path: "/marketing/campaigns", label: "nav.campaigns", permission: "campaigns:read" },
      { path: "/marketing/segments", label: "nav.segments", permission: "campaigns:read" },
      { path: "/marketing/templates", label: "nav.templates", permission: "campaigns:read" },
      { path: "/marketing/promotions", label: "nav.promotions", permission: "campaigns:read" },
      {
        path: "/marketing/subscriptions",
        label: "nav.subscriptions",
        permission: "campaigns:read",
      },
    ],
  },
  {
    path: "/support",
    label: "nav.support",
    icon: <CustomerServiceOutlined />,
    children: [
      { path: "/support/tickets", label: "nav.tickets", permission: "tickets:read" },
      { path: "/support/knowledge", label: "nav.knowledge", permission: "knowledge:read" },
      { path: "/support/surveys", label: "nav.surveys", permission: "tickets:read" },
    ],
  },
  {
    path: "/analytics",
    label: "nav.analytics",
    permission: "reports:read",
    icon: <BarChartOutlined />,
  },
  {
    path: "/settings",
    label: "nav.settings",
    icon: <SettingOutlined />,
    children: [
      { path: "/settings/users", label: "nav.users", permission: "users:admin" },
      { path: "/settings/clients", label: "nav.clients", permission: "users:admin" },
      { path: "/settings/webhooks", label: "nav.webhooks", permission: "webhooks:manage" },
      { path: "/settings/audit", label: "nav.audit", permission: "audit:read" },
      { path: "/settings/dead-letters", label: "nav.deadLetters", permission: "events:admin" },
      {
        path: "/settings/customer-notices",
        label: "nav.customerNotices",
        permission: "notifications:admin",
      },
    ],
  },
];

export const FALLBACK_ICON = <AppstoreOutlined />;

/** The entries a person with these permissions may open; empty groups disappear. */
export function visibleNavigation(can: (permission: string) => boolean): NavItem[] {
  const visible: NavItem[] = [];
  for (const item of NAVIGATION) {
    if (item.children) {
      const children = item.children.filter((child) => !child.permission || can(child.permission));
      if (children.length) visible.push({ ...item, children });
    } else if (!item.permission || can(item.permission)) {
      visible.push(item);
    }
  }
  return visible;
}
