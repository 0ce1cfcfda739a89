/** The roles and permissions an administrator hands out (libs/contracts access.py). */
import type { Schemas } from "@/lib/api/client";

export type Role = Schemas["Role"];
export type Permission = Schemas["Permission"];

export const ROLES: Role[] = [
  "admin",
  "sales_manager",
  "sales_rep",
  "marketer",
  "support_agent",
  "analyst",
  "integration",
];

/** People hold every role but integration; systems usually hold integration. */
export const PERSON_ROLES = ROLES.filter((role) => role !== "integration");

export const PERMISSIONS: Permission[] = [
  "customers:read",
  "customers:write",
  "customers:delete",
  "customers:import",
  "customers:export",
  "customers:read_pii",
  "customers:erase",
  "customers:admin",
  "leads:read",
  "leads:write",
  "sales:read",
  "sales:write",
  "sales:read_all",
  "sales:admin",
  "campaigns:read",
  "campaigns:write",
  "campaigns:send",
  "tickets:read",
  "tickets:write",
  "support:admin",
  "knowledge:read",
  "knowledge:write",
  "reports:read",
  "reports:admin",
  "users:admin",
  "webhooks:manage",
  "audit:read",
  "events:admin",
];
