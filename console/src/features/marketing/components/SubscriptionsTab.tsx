/** Recorded consent per channel, and recording a customer's wish (e.g. said by phone). */
import { Alert, App, Button, Card, Flex, Form, Input, Select, Switch, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText, showFieldErrors } from "@/lib/api/problem";
import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { CHANNELS, type Channel } from "../api/campaigns";
import { type Subscription, useSetConsent, useSubscriptions } from "../api/consent";

const PAGE_SIZE = 20;

interface Values {
  customer_id: string;
  channel: Channel;
  subscribed: boolean;
  email?: string;
}

export function SubscriptionsTab() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [channel, setChannel] = useState<Channel>("email");
  const [subscribed, setSubscribed] = useState<"all" | "yes" | "no">("all");
  const [page, setPage] = useState(1);
  const [form] = Form.useForm<Values>();
  const setConsent = useSetConsent();
  const { data, isFetching, error } = useSubscriptions({
    channel,
    subscribed: subscribed === "all" ? undefined : subscribed === "yes",
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });

  const submit = async (values: Values) => {
    try {
      await setConsent.mutateAsync({
        customerId: values.customer_id.trim(),
        channel: values.channel,
        subscribed: values.subscribed,
        email: values.email?.trim() || null,
      });
      message.success(t("consent.recorded"));
      form.resetFields();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
        message.error(errorText(t, error));
    }
  };

  const columns: ColumnsType<Subscription> = [
    { title: t("consent.customerId"), dataIndex: "customer_id" },
    { title: t("consent.email"), dataIndex: "email", render: (v: string | null) => v ?? "—" },
    {
      title: t("consent.state"),
      key: "state",
      render: (_, s) =>
        s.channels[channel]?.subscribed ? (
          <Tag>{t("consent.subscribed")}</Tag>
        ) : (
          <Tag>{t("consent.unsubscribed")}</Tag>
        ),
    },
    {
      title: t("consent.changedAt"),
      key: "changed",
      render: (_, s) => format.dateTime(s.channels[channel]?.changed_at),
    },
    {
      title: t("consent.source"),
      key: "source",
      render: (_, s) => s.channels[channel]?.source ?? "—",
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Can permission="campaigns:write">
        <Card size="small" title={t("consent.record")}>
          <Form<Values>
            name="consent"
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ channel: "email", subscribed: false }}
          >
            <Flex gap={12} wrap align="end">
              <Form.Item
                name="customer_id"
                label={t("consent.customerId")}
                rules={[{ required: true, message: t("consent.customerIdRequired") }]}
                style={{ flex: 1, minWidth: 200 }}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="channel" label={t("campaign.channels")}>
                <Select
                  style={{ minWidth: 120 }}
                  options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                />
              </Form.Item>
              <Form.Item name="email" label={t("consent.email")} style={{ flex: 1, minWidth: 200 }}>
                <Input type="email" maxLength={320} />
              </Form.Item>
              <Form.Item name="subscribed" label={t("consent.subscribed")} valuePropName="checked">
                <Switch />
              </Form.Item>
              <Form.Item>
                <Button type="primary" htmlType="submit" loading={setConsent.isPending}>
                  {t("actions.save", { ns: "common" })}
                </Button>
              </Form.Item>
            </Flex>
          </Form>
        </Card>
      </Can>
      <Flex gap={8} wrap>
        <Select<Channel>
          aria-label={t("campaign.channels")}
          style={{ minWidth: 140 }}
          value={channel}
          onChange={(value) => {
            setChannel(value);
            setPage(1);
          }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
        />
        <Select<"all" | "yes" | "no">
          aria-label={t("consent.state")}
          style={{ minWidth: 140 }}
          value={subscribed}
          onChange={(value) => {
            setSubscribed(value);
            setPage(1);
          }}
          options={[
            { value: "all", label: t("consent.anyState") },
            { value: "yes", label: t("consent.subscribed") },
            { value: "no", label: t("consent.unsubscribed") },
          ]}
        />
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Subscription>
        rowKey="customer_id"
        loading={isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
    </Flex>
  );
}
