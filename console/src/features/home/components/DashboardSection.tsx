/** The analyst's and administrator's home: this month's key figures and the revenue trend. */
import { Card, Col, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useMainDashboard, useRevenueTrend } from "../api/reports";
import { HomeCard } from "./HomeCard";

export function DashboardSection() {
  const { t } = useTranslation("home");
  const format = useFormat();
  const dashboard = useMainDashboard();
  const trend = useRevenueTrend(6);
  const figures = dashboard.data;
  const stats: { key: string; value: string }[] = figures
    ? [
        { key: "customers", value: format.number(figures.customers) },
        { key: "newCustomers", value: format.number(figures.new_customers) },
        { key: "openOpportunities", value: format.number(figures.open_opportunities) },
        { key: "weightedPipeline", value: format.money(figures.weighted_pipeline) },
        { key: "revenue", value: format.money(figures.revenue) },
        { key: "won", value: format.number(figures.won) },
        { key: "winRate", value: format.percent(figures.win_rate) },
        { key: "campaignRoi", value: format.percent(figures.campaign_roi) },
        { key: "ticketsResolved", value: format.number(figures.tickets_resolved) },
        { key: "slaAttainment", value: format.percent(figures.sla_attainment) },
        { key: "csat", value: format.percent(figures.csat) },
      ]
    : [];
  const points = trend.data ?? [];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <HomeCard
          testId="home-dashboard"
          title={t("dashboard.title", { period: figures?.period ?? "" })}
          to="/analytics"
          linkLabel={t("links.analytics")}
          loading={dashboard.isPending}
          error={dashboard.error}
          onRetry={() => void dashboard.refetch()}
        >
          <Row gutter={[12, 12]}>
            {stats.map((stat) => (
              <Col key={stat.key} xs={12} md={8} xl={6}>
                <Card size="small" data-testid={`figure-${stat.key}`}>
                  <Statistic title={t(`dashboard.${stat.key}`)} value={stat.value} />
                </Card>
              </Col>
            ))}
          </Row>
        </HomeCard>
      </Col>
      <Col xs={24}>
        <HomeCard
          title={t("dashboard.trend")}
          to="/analytics"
          linkLabel={t("links.analytics")}
          loading={trend.isPending}
          error={trend.error}
          onRetry={() => void trend.refetch()}
        >
          <ReportChart
            label={t("dashboard.trendChart")}
            height={260}
            option={{
              tooltip: { trigger: "axis" },
              grid: { left: 64, right: 16, top: 24, bottom: 32 },
              xAxis: { type: "category", data: points.map((point) => point.period) },
              yAxis: { type: "value" },
              series: [
                {
                  type: "line",
                  name: t("dashboard.revenue"),
                  smooth: true,
                  areaStyle: { opacity: 0.15 },
                  data: points.map((point) => Number(point.revenue)),
                },
              ],
            }}
          />
        </HomeCard>
      </Col>
    </Row>
  );
}
