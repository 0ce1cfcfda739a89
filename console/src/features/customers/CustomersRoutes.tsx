import { ConfigProvider } from "antd";
import { Route, Routes } from "react-router";

import { NotFound } from "@/components/NotFound";

import { Customer360 } from "./components/Customer360";
import { CustomerList } from "./components/CustomerList";
import { NewCustomerPage } from "./components/NewCustomerPage";

// Links in the app's primary blue: Ant Design's default link blue (#1677ff) is below
// WCAG AA contrast on white, and the app's theme does not set colorLink.
const THEME = { token: { colorLink: "#1360d6", colorLinkHover: "#0f4fb0" } };

export default function CustomersRoutes() {
  return (
    <ConfigProvider theme={THEME}>
      <Routes>
        <Route index element={<CustomerList />} />
        <Route path="new" element={<NewCustomerPage />} />
        <Route path=":id" element={<Customer360 />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ConfigProvider>
  );
}
