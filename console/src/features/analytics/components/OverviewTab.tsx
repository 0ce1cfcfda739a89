/** The main dashboard: one month's key figures across sales, marketing and support. */
import { Col, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

import { useDashboard } from "../api/reports";
import { Figure } from "./Figure";
import { QueryBoundary } from "./QueryBoundary";

export function OverviewTab({ period }: { period: string }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const dashboard = useDashboard(period);
  return (
    <QueryBoundary query={dashboard}>
      {(figures) => {
        const stats = [
          { key: "customers", value: format.number(figures.customers) },
          { key: "new_customers", value: format.number(figures.new_customers) },
          { key: "open_opportunities", value: format.number(figures.open_opportunities) },
          { key: "weighted_pipeline", value: format.money(figures.weighted_pipeline) },
          { key: "revenue", value: format.money(figures.revenue) },
          { key: "won", value: format.number(figures.won) },
          { key: "win_rate", value: format.percent(figures.win_rate) },
          { key: "campaign_roi", value: format.percent(figures.campaign_roi) },
          { key: "tickets_resolved", value: format.number(figures.tickets_resolved) },
          { key: "sla_attainment", value: format.percent(figures.sla_attainment) },
          { key: "csat", value: format.percent(figures.csat) },
        ];
        return (
          <>
            <Typography.Paragraph type="secondary">
              {t("overview.period", { period: figures.period })}
            </Typography.Paragraph>
            <Row gutter={[12, 12]}>
              {stats.map((stat) => (
                <Col key={stat.key} xs={12} md={8} xl={6}>
                  <Figure
                    title={t(`overview.${stat.key}`)}
                    value={stat.value}
                    testId={`dashboard-${stat.key}`}
                  />
                </Col>
              ))}
            </Row>
          </>
        );
      }}
    </QueryBoundary>
  );
}
