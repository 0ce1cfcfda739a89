import { Navigate, Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";
import { useSession } from "@/lib/auth/SessionProvider";

import { PreferencesPage } from "./components/PreferencesPage";

export default function NotificationsRoutes() {
  const { can } = useSession();
  if (!can("notifications:own")) return <NotFound />;
  return (
    <Routes>
      <Route index element={<Navigate to="preferences" replace />} />
      <Route path="preferences" element={<PreferencesPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
