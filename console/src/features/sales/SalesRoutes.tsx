import { Routes, Route } from "react-router";

import { NotFound } from "@/components/NotFound";

export default function SalesRoutes() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
