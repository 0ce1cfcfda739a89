import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { HomePage } from "./components/HomePage";

export default function HomeRoutes() {
  return (
    <Routes>
      <Route index element={<HomePage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
