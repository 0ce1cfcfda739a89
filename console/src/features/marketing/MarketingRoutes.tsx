import { Navigate, Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { CampaignList } from "./components/CampaignList";
import { CampaignPage } from "./components/CampaignPage";
import { PromotionList } from "./components/PromotionList";
import { SegmentEditor } from "./components/SegmentEditor";
import { SegmentList } from "./components/SegmentList";
import { SubscriptionsPage } from "./components/SubscriptionsPage";
import { TemplateEditor } from "./components/TemplateEditor";
import { TemplateList } from "./components/TemplateList";

export default function MarketingRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="campaigns" replace />} />
      <Route path="campaigns" element={<CampaignList />} />
      <Route path="campaigns/:id" element={<CampaignPage />} />
      <Route path="segments" element={<SegmentList />} />
      <Route path="segments/new" element={<SegmentEditor />} />
      <Route path="segments/:id" element={<SegmentEditor />} />
      <Route path="templates" element={<TemplateList />} />
      <Route path="templates/new" element={<TemplateEditor />} />
      <Route path="templates/:id" element={<TemplateEditor />} />
      <Route path="promotions" element={<PromotionList />} />
      <Route path="subscriptions" element={<SubscriptionsPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
