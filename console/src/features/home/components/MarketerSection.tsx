/** A marketer's campaigns in flight and how they are doing. */
import { Col, Row, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/lib/i18n/format";

import { useCampaignMetrics, useRunningCampaigns } from "../api/marketing";
import { HomeCard } from "./HomeCard";

const ratio = (value: string | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

export function MarketerSection() {
  const { t } = useTranslation("home");
  const format = useFormat();
  const campaigns = useRunningCampaigns();
  const items = campaigns.data?.items ?? [];
  const metrics = useCampaignMetrics(items.map((campaign) => campaign.id));
  const rows = items.map((campaign, index) => ({ campaign, metrics: metrics[index]?.data }));

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <HomeCard
          testId="home-campaigns"
          title={t("marketer.campaigns")}
          to="/marketing/campaigns"
          linkLabel={t("links.campaigns")}
          loading={campaigns.isPending && campaigns.fetchStatus !== "idle"}
          error={campaigns.error}
          onRetry={() => void campaigns.refetch()}
        >
          <Table
            size="small"
            rowKey={(row) => row.campaign.id}
            pagination={false}
            scroll={{ x: true }}
            dataSource={rows}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("marketer.empty")}</Typography.Text>,
            }}
            columns={[
              {
                title: t("marketer.name"),
                key: "name",
                render: (_, row) => (
                  <Link to={`/marketing/campaigns/${row.campaign.id}`}>{row.campaign.name}</Link>
                ),
              },
              {
                title: t("marketer.ends"),
                key: "ends",
                render: (_, row) => format.date(row.campaign.ends_at),
              },
              {
                title: t("marketer.participants"),
                key: "participants",
                align: "right",
                render: (_, row) => format.number(row.metrics?.participants),
              },
              {
                title: t("marketer.conversion"),
                key: "conversion",
                align: "right",
                render: (_, row) => format.percent(ratio(row.metrics?.conversion_rate)),
              },
              {
                title: t("marketer.revenue"),
                key: "revenue",
                align: "right",
                render: (_, row) => format.money(row.metrics?.revenue, row.campaign.currency),
              },
              {
                title: t("marketer.roi"),
                key: "roi",
                align: "right",
                render: (_, row) => format.percent(ratio(row.metrics?.roi)),
              },
            ]}
          />
        </HomeCard>
      </Col>
    </Row>
  );
}
