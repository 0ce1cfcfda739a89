/** Each recipient's message: its status, attempts and when it was sent, opened, clicked. */
import { Card, Select, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

import { type Delivery, type DeliveryStatus, useDeliveries } from "../api/campaigns";

const PAGE_SIZE = 20;
export const DELIVERY_STATUSES: DeliveryStatus[] = [
  "queued",
  "sending",
  "sent",
  "opened",
  "clicked",
  "bounced",
  "failed",
  "suppressed",
];

export function CampaignRecipients({ campaignId, live }: { campaignId: string; live: boolean }) {
  const { t, i18n } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const [status, setStatus] = useState<DeliveryStatus>();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useDeliveries(
    campaignId,
    { status, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
    live,
  );
  const columns: ColumnsType<Delivery> = [
    { title: t("recipient.email"), dataIndex: "email", render: (v: string | null) => v ?? "—" },
    {
      title: t("recipient.tier"),
      dataIndex: "tier",
      render: (v: string | null) =>
        v && i18n.exists(`marketing:tier.${v}`) ? t(`tier.${v}`) : (v ?? "—"),
    },
    {
      title: t("recipient.status"),
      dataIndex: "status",
      render: (v: DeliveryStatus) => <Tag>{t(`delivery.${v}`)}</Tag>,
    },
    { title: t("recipient.attempts"), dataIndex: "attempts", align: "right" },
    {
      title: t("recipient.sentAt"),
      dataIndex: "sent_at",
      render: (v: string | null) => format.dateTime(v),
    },
    {
      title: t("recipient.openedAt"),
      dataIndex: "opened_at",
      render: (v: string | null) => format.dateTime(v),
    },
    {
      title: t("recipient.clickedAt"),
      dataIndex: "clicked_at",
      render: (v: string | null) => format.dateTime(v),
    },
  ];
  return (
    <Card
      title={t("recipient.title")}
      size="small"
      extra={
        <Select<DeliveryStatus>
          allowClear
          size="small"
          aria-label={t("recipient.status")}
          placeholder={t("recipient.anyStatus")}
          style={{ minWidth: 140 }}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setPage(1);
          }}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`delivery.${s}`) }))}
        />
      }
    >
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={isFetching && !data}
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
    </Card>
  );
}
