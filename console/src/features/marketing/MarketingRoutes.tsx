import { Routes, Route } from "react-router";

import { NotFound } from "@/components/NotFound";

export default function MarketingRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
