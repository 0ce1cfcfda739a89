import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { Customer360 } from "./components/Customer360";
import { CustomerList } from "./components/CustomerList";
import { DuplicatesPage } from "./components/DuplicatesPage";
import { ImportPage } from "./components/ImportPage";
import { NewCustomerPage } from "./components/NewCustomerPage";

export default function CustomersRoutes() {
  return (
    <Routes>
      <Route index element={<CustomerList />} />
      <Route path="new" element={<NewCustomerPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="imports/:id" element={<ImportPage />} />
      <Route path="duplicates" element={<DuplicatesPage />} />
      <Route path=":id" element={<Customer360 />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
