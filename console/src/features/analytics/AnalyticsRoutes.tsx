import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";
import { useSession } from "@/lib/auth/SessionProvider";

import { AnalyticsPage } from "./components/AnalyticsPage";

export default function AnalyticsRoutes() {
  const { can } = useSession();
  return (
    <Routes>
      <Route index element={can("reports:read") ? <AnalyticsPage /> : <NotFound />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
