import { ConfigProvider } from "antd";
import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { ForecastPage } from "./components/ForecastPage";
import { LeadInbox } from "./components/LeadInbox";
import { OpportunityPage } from "./components/OpportunityPage";
import { OrdersPage } from "./components/OrdersPage";
import { QuotesPage } from "./components/QuotesPage";
import { PipelineBoard } from "./components/PipelineBoard";
import { TasksPage } from "./components/TasksPage";

// Links in the app's primary blue: Ant Design's default link blue (#1677ff) is below
// WCAG AA contrast on white, and the app's theme does not set colorLink.
const THEME = { token: { colorLink: "#1360d6", colorLinkHover: "#0f4fb0" } };

export default function SalesRoutes() {
  return (
    <ConfigProvider theme={THEME}>
      <Routes>
        <Route path="pipeline" element={<PipelineBoard />} />
        <Route path="opportunities/:id" element={<OpportunityPage />} />
        <Route path="leads" element={<LeadInbox />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="forecast" element={<ForecastPage />} />
        <Route path="quotes" element={<QuotesPage />} />
        <Route path="orders" element={<OrdersPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ConfigProvider>
  );
}
