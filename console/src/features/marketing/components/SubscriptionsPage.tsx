/** /marketing/subscriptions: who agreed to hear from us on which channel (customers
 * never asked are subscribed: opt-out), and the addresses that never get anything. */
import { Tabs, Typography, Flex } from "antd";
import { useTranslation } from "react-i18next";

import { SubscriptionsTab } from "./SubscriptionsTab";
import { SuppressionsTab } from "./SuppressionsTab";

export function SubscriptionsPage() {
  const { t } = useTranslation(["marketing", "common"]);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("consent.title")}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: "subscriptions",
            label: t("consent.subscriptions"),
            children: <SubscriptionsTab />,
          },
          { key: "suppressions", label: t("consent.suppressions"), children: <SuppressionsTab /> },
        ]}
      />
    </Flex>
  );
}
