import { Navigate, Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { ArticleEditor } from "./components/ArticleEditor";
import { ArticlePage } from "./components/ArticlePage";
import { KnowledgePage } from "./components/KnowledgePage";
import { SurveysPage } from "./components/SurveysPage";
import { TicketPage } from "./components/TicketPage";
import { TicketQueue } from "./components/TicketQueue";

export default function SupportRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="tickets" replace />} />
      <Route path="tickets" element={<TicketQueue />} />
      <Route path="tickets/:ticketId" element={<TicketPage />} />
      <Route path="knowledge" element={<KnowledgePage />} />
      <Route path="knowledge/new" element={<ArticleEditor />} />
      <Route path="knowledge/:articleId" element={<ArticlePage />} />
      <Route path="knowledge/:articleId/edit" element={<ArticleEditor />} />
      <Route path="surveys" element={<SurveysPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
