import { ConfigProvider } from "antd";
import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";
import { useSession } from "@/lib/auth/SessionProvider";

import { AnalyticsPage } from "./components/AnalyticsPage";

export default function AnalyticsRoutes() {
  const { can } = useSession();
  return (
    // Danger buttons in a red dark enough for WCAG AA on white (the default is 3.3:1).
    <ConfigProvider theme={{ token: { colorError: "#c62828" } }}>
      <Routes>
        <Route index element={can("reports:read") ? <AnalyticsPage /> : <NotFound />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ConfigProvider>
  );
}
