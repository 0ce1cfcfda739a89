import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { LeadInbox } from "./components/LeadInbox";
import { OpportunityPage } from "./components/OpportunityPage";
import { PipelineBoard } from "./components/PipelineBoard";
import { TasksPage } from "./components/TasksPage";

export default function SalesRoutes() {
  return (
    <Routes>
      <Route path="pipeline" element={<PipelineBoard />} />
      <Route path="opportunities/:id" element={<OpportunityPage />} />
      <Route path="leads" element={<LeadInbox />} />
      <Route path="tasks" element={<TasksPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
