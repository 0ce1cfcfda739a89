/** /marketing/campaigns: every campaign with its status and dates, filtered by status
 * and channel; a new one is planned from here. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Flex, Grid, List, Select, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import {
  CAMPAIGN_STATUSES,
  CHANNELS,
  type Campaign,
  type CampaignStatus,
  type Channel,
  useCampaigns,
} from "../api/campaigns";
import { CampaignFormModal } from "./CampaignFormModal";
import { CampaignStatusTag } from "./CampaignStatusTag";
import { RouterLink } from "./RouterLink";

const PAGE_SIZE = 20;

export function CampaignList() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const phone = !Grid.useBreakpoint().md;
  const [status, setStatus] = useState<CampaignStatus>();
  const [channel, setChannel] = useState<Channel>();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const { data, isFetching, error } = useCampaigns({
    status,
    channel,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });

  const channels = (campaign: Campaign) =>
    campaign.channels.map((c) => t(`channel.${c}`)).join(t("listSeparator"));
  const columns: ColumnsType<Campaign> = [
    {
      title: t("campaign.name"),
      dataIndex: "name",
      render: (name: string, campaign) => (
        <RouterLink to={`/marketing/campaigns/${campaign.id}`}>{name}</RouterLink>
      ),
    },
    {
      title: t("campaign.status"),
      dataIndex: "status",
      render: (value: CampaignStatus) => <CampaignStatusTag status={value} />,
    },
    { title: t("campaign.channels"), key: "channels", render: (_, c) => channels(c) },
    {
      title: t("campaign.budget"),
      dataIndex: "budget",
      align: "right",
      render: (value: string, c) => format.money(value, c.currency),
    },
    {
      title: t("campaign.startsAt"),
      dataIndex: "starts_at",
      render: (value: string | null) => format.date(value),
    },
    {
      title: t("campaign.endsAt"),
      dataIndex: "ends_at",
      render: (value: string | null) => format.date(value),
    },
  ];
  const pagination = {
    current: page,
    pageSize: PAGE_SIZE,
    total: data?.total ?? 0,
    onChange: setPage,
    showSizeChanger: false,
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("campaigns.title")}
        </Typography.Title>
        <Can permission="campaigns:write">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("campaigns.new")}
          </Button>
        </Can>
      </Flex>
      <Flex gap={8} wrap>
        <Select<CampaignStatus>
          allowClear
          aria-label={t("campaign.status")}
          placeholder={t("campaigns.anyStatus")}
          style={{ minWidth: 160 }}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setPage(1);
          }}
          options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Select<Channel>
          allowClear
          aria-label={t("campaign.channels")}
          placeholder={t("campaigns.anyChannel")}
          style={{ minWidth: 160 }}
          value={channel}
          onChange={(value) => {
            setChannel(value);
            setPage(1);
          }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
        />
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      {phone ? (
        <List
          loading={isFetching}
          dataSource={data?.items ?? []}
          pagination={pagination}
          renderItem={(campaign) => (
            <List.Item style={{ display: "block", borderBlockEnd: "none", padding: "4px 0" }}>
              <Card size="small">
                <Flex justify="space-between" gap={8}>
                  <RouterLink to={`/marketing/campaigns/${campaign.id}`}>
                    {campaign.name}
                  </RouterLink>
                  <CampaignStatusTag status={campaign.status} />
                </Flex>
                <Typography.Text type="secondary">
                  {channels(campaign)} · {format.date(campaign.starts_at)} –{" "}
                  {format.date(campaign.ends_at)}
                </Typography.Text>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Campaign>
          rowKey="id"
          loading={isFetching}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={pagination}
          scroll={{ x: true }}
        />
      )}
      <CampaignFormModal open={creating} onClose={() => setCreating(false)} />
    </Flex>
  );
}
