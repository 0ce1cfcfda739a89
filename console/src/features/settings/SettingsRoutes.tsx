import type { ReactElement } from "react";
import { Navigate, Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";
import { useSession } from "@/lib/auth/SessionProvider";

import { AuditPage } from "./components/AuditPage";
import { ClientsPage } from "./components/ClientsPage";
import { CustomerNoticesPage } from "./components/CustomerNoticesPage";
import { DeadLettersPage } from "./components/DeadLettersPage";
import { UsersPage } from "./components/UsersPage";
import { WebhooksPage } from "./components/WebhooksPage";

const SCREENS: { path: string; permission: string; element: ReactElement }[] = [
  { path: "users", permission: "users:admin", element: <UsersPage /> },
  { path: "clients", permission: "users:admin", element: <ClientsPage /> },
  { path: "webhooks", permission: "webhooks:manage", element: <WebhooksPage /> },
  { path: "audit", permission: "audit:read", element: <AuditPage /> },
  { path: "dead-letters", permission: "events:admin", element: <DeadLettersPage /> },
  {
    path: "customer-notices",
    permission: "notifications:admin",
    element: <CustomerNoticesPage />,
  },
];

export default function SettingsRoutes() {
  const { can } = useSession();
  const first = SCREENS.find((screen) => can(screen.permission));
  return (
    <Routes>
      <Route index element={first ? <Navigate to={first.path} replace /> : <NotFound />} />
      {SCREENS.map((screen) => (
        <Route
          key={screen.path}
          path={screen.path}
          element={can(screen.permission) ? screen.element : <NotFound />}
        />
      ))}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
