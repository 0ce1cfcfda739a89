/** Progress of the send (recipients per status) and the results: engagement,
 * conversions, ROI and CPA as the metrics endpoint computes them. */
import { Alert, Card, Col, Progress, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Campaign, type Metrics, useCampaignMetrics } from "../api/campaigns";
import { ResultsChart } from "./ResultsChart";

const PROGRESS = ["audience", "queued", "sent", "bounced", "failed", "suppressed"] as const;
const FUNNEL = ["audience", "sent", "delivered", "opened", "clicked", "converted"] as const;

/** The share of the audience whose message is settled (no longer queued). */
export function settledShare(metrics: Pick<Metrics, "audience" | "queued">): number {
  if (!metrics.audience) return 0;
  return Math.round(((metrics.audience - metrics.queued) / metrics.audience) * 100);
}

function Figure({ name, title, value }: { name: string; title: string; value: string }) {
  return (
    <Col xs={12} sm={8} lg={4}>
      <div data-testid={`metric-${name}`}>
        <Statistic title={title} value={value} />
      </div>
    </Col>
  );
}

export function CampaignResults({ campaign, live }: { campaign: Campaign; live: boolean }) {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const { data: metrics, error } = useCampaignMetrics(campaign.id, live);
  if (error) return <Alert type="error" showIcon title={errorText(t, error)} />;
  if (!metrics) return null;
  const rate = (value: string | null) => format.percent(value === null ? null : Number(value));

  return (
    <>
      <Card title={t("results.progress")} size="small">
        <Progress
          percent={settledShare(metrics)}
          aria-label={t("results.progress")}
          status={metrics.queued > 0 ? "active" : "normal"}
        />
        <Row gutter={[16, 16]}>
          {PROGRESS.map((name) => (
            <Figure
              key={name}
              name={name}
              title={t(`metric.${name}`)}
              value={format.number(metrics[name])}
            />
          ))}
        </Row>
      </Card>
      <Card
        title={t("results.title")}
        size="small"
        extra={t("results.asOf", { time: format.dateTime(metrics.as_of) })}
      >
        <Row gutter={[16, 16]}>
          {(["delivered", "opened", "clicked", "converted"] as const).map((name) => (
            <Figure
              key={name}
              name={name}
              title={t(`metric.${name}`)}
              value={format.number(metrics[name])}
            />
          ))}
          <Figure
            name="revenue"
            title={t("metric.revenue")}
            value={format.money(metrics.revenue, campaign.currency)}
          />
          <Figure
            name="cost"
            title={t("metric.cost")}
            value={format.money(metrics.cost, campaign.currency)}
          />
          <Figure name="open_rate" title={t("metric.open_rate")} value={rate(metrics.open_rate)} />
          <Figure
            name="click_rate"
            title={t("metric.click_rate")}
            value={rate(metrics.click_rate)}
          />
          <Figure
            name="participation_rate"
            title={t("metric.participation_rate")}
            value={rate(metrics.participation_rate)}
          />
          <Figure
            name="conversion_rate"
            title={t("metric.conversion_rate")}
            value={rate(metrics.conversion_rate)}
          />
          <Figure name="roi" title={t("metric.roi")} value={rate(metrics.roi)} />
          <Figure
            name="cpa"
            title={t("metric.cpa")}
            value={format.money(metrics.cpa, campaign.currency)}
          />
        </Row>
        <ResultsChart
          title={t("results.chart")}
          bars={FUNNEL.map((name) => ({ label: t(`metric.${name}`), value: metrics[name] }))}
        />
      </Card>
    </>
  );
}
