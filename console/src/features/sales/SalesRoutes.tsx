import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { ForecastPage } from "./components/ForecastPage";
import { InvoicePage } from "./components/InvoicePage";
import { LeadInbox } from "./components/LeadInbox";
import { LeadPage } from "./components/LeadPage";
import { OpportunityPage } from "./components/OpportunityPage";
import { OrderPage } from "./components/OrderPage";
import { OrdersPage } from "./components/OrdersPage";
import { QuotePage } from "./components/QuotePage";
import { QuotesPage } from "./components/QuotesPage";
import { PipelineBoard } from "./components/PipelineBoard";
import { TasksPage } from "./components/TasksPage";

export default function SalesRoutes() {
  return (
    <Routes>
      <Route path="pipeline" element={<PipelineBoard />} />
      <Route path="opportunities/:id" element={<OpportunityPage />} />
      <Route path="leads" element={<LeadInbox />} />
      <Route path="leads/:id" element={<LeadPage />} />
      <Route path="tasks" element={<TasksPage />} />
      <Route path="forecast" element={<ForecastPage />} />
      <Route path="quotes" element={<QuotesPage />} />
      <Route path="quotes/:id" element={<QuotePage />} />
      <Route path="orders" element={<OrdersPage />} />
      <Route path="orders/:id" element={<OrderPage />} />
      <Route path="invoices/:id" element={<InvoicePage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
