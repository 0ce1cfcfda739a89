/** /customers/:id, the customer 360: profile, tier, consumption and value, the unified
 * timeline, contacts and, for those who read reports, the relationship network. */
import { EditOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Flex, Row, Space, Spin, Tabs, Typography } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { Can, useSession } from "@/lib/auth/SessionProvider";
import { errorText } from "@/lib/api/problem";

import { useCustomer } from "../api/customers";
import { ContactsCard } from "./ContactsCard";
import { EditProfileDrawer } from "./EditProfileDrawer";
import { ProfileCard } from "./ProfileCard";
import { TierTag } from "./TierTag";
import { TimelineCard } from "./TimelineCard";
import { ValueCard } from "./ValueCard";

const NetworkGraph = lazy(() => import("./NetworkGraph"));

export function Customer360() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["customers", "common"]);
  const { can } = useSession();
  const { data: customer, error, isLoading, refetch } = useCustomer(id);
  const [editing, setEditing] = useState(false);

  if (isLoading) return <Spin />;
  if (error || !customer) {
    return (
      <Flex vertical gap={16}>
        <Link to="/customers">{t("detail.backToList")}</Link>
        <Alert type="error" showIcon title={errorText(t, error)} />
      </Flex>
    );
  }

  const tabs = [
    { key: "timeline", label: t("detail.timeline"), children: <TimelineCard customerId={id} /> },
    { key: "contacts", label: t("detail.contacts"), children: <ContactsCard customerId={id} /> },
    ...(can("reports:read")
      ? [
          {
            key: "network",
            label: t("detail.network"),
            children: (
              <Suspense fallback={<Spin />}>
                <NetworkGraph customerId={id} />
              </Suspense>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Link to="/customers">{t("detail.backToList")}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space align="center" wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {customer.name}
          </Typography.Title>
          <TierTag tier={customer.tier} />
          <Typography.Text type="secondary">{customer.member_id}</Typography.Text>
        </Space>
        <Can permission="customers:write">
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t("actions.edit", { ns: "common" })}
          </Button>
        </Can>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ProfileCard customer={customer} />
        </Col>
        <Col xs={24} xl={10}>
          <ValueCard customer={customer} />
        </Col>
      </Row>
      <Card>
        <Tabs items={tabs} destroyOnHidden />
      </Card>
      {editing && (
        <EditProfileDrawer
          customer={customer}
          onClose={() => setEditing(false)}
          refetch={refetch}
        />
      )}
    </Flex>
  );
}
