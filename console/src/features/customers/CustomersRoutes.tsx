import { ConfigProvider } from "antd";
import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { Customer360 } from "./components/Customer360";
import { CustomerList } from "./components/CustomerList";
import { DuplicatesPage } from "./components/DuplicatesPage";
import { ImportPage } from "./components/ImportPage";
import { NewCustomerPage } from "./components/NewCustomerPage";

// Links in the app's primary blue, and a darker hover: Ant Design's default link blue
// (#1677ff) and the hover shade it derives from the primary (#3982e3) are below WCAG AA
// contrast with white, and the app's theme sets neither.
const THEME = {
  token: { colorLink: "#1360d6", colorLinkHover: "#0f4fb0", colorPrimaryHover: "#0f4fb0" },
};

export default function CustomersRoutes() {
  return (
    <ConfigProvider theme={THEME}>
      <Routes>
        <Route index element={<CustomerList />} />
        <Route path="new" element={<NewCustomerPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="duplicates" element={<DuplicatesPage />} />
        <Route path=":id" element={<Customer360 />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ConfigProvider>
  );
}
