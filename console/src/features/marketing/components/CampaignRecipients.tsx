/** Each recipient's message: its status, attempts and when it was sent, opened, clicked.
 * A table on a wide screen, a list of cards on a phone (seven columns do not fit 390 px:
 * the dates wrapped and were cut off). */
import { Card, Empty, Flex, Grid, Pagination, Select, Spin, Table, Tag, Typography } from "antd";
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
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [status, setStatus] = useState<DeliveryStatus>();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useDeliveries(
    campaignId,
    { status, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
    live,
  );
  const tierText = (v: string | null) =>
    v && i18n.exists(`marketing:tier.${v}`) ? t(`tier.${v}`) : (v ?? "—");
  const columns: ColumnsType<Delivery> = [
    { title: t("recipient.email"), dataIndex: "email", render: (v: string | null) => v ?? "—" },
    { title: t("recipient.tier"), dataIndex: "tier", render: tierText },
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
      {phone ? (
        <Spin spinning={isFetching && !data}>
          <Flex vertical gap={8}>
            {data?.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
            <Flex vertical gap={8} role="list" aria-label={t("recipient.title")}>
              {data?.items.map((delivery) => (
                <Card key={delivery.id} size="small" role="listitem">
                  <Flex vertical gap={4}>
                    <Flex justify="space-between" align="center" gap={8}>
                      <Typography.Text strong style={{ overflowWrap: "anywhere" }}>
                        {delivery.email ?? "—"}
                      </Typography.Text>
                      <Tag style={{ marginInlineEnd: 0 }}>{t(`delivery.${delivery.status}`)}</Tag>
                    </Flex>
                    <Field label={t("recipient.tier")} value={tierText(delivery.tier)} />
                    <Field label={t("recipient.attempts")} value={String(delivery.attempts)} />
                    <Field
                      label={t("recipient.sentAt")}
                      value={format.dateTime(delivery.sent_at)}
                      testId="recipient-sent-at"
                    />
                    <Field
                      label={t("recipient.openedAt")}
                      value={format.dateTime(delivery.opened_at)}
                    />
                    <Field
                      label={t("recipient.clickedAt")}
                      value={format.dateTime(delivery.clicked_at)}
                    />
                  </Flex>
                </Card>
              ))}
            </Flex>
            <Pagination
              simple
              align="center"
              current={page}
              pageSize={PAGE_SIZE}
              total={data?.total ?? 0}
              onChange={setPage}
            />
          </Flex>
        </Spin>
      ) : (
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
      )}
    </Card>
  );
}

/** One fact of a recipient's card: its name, and its value kept on one line. */
function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Flex justify="space-between" gap={8}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Typography.Text data-testid={testId} style={{ whiteSpace: "nowrap" }}>
        {value}
      </Typography.Text>
    </Flex>
  );
}
