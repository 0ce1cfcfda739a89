/** A sales manager's view: the team's pipeline by stage, stalled deals (as the sales
 * service marks them), the reps' results. */
import { Col, List, Row, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { StalledTag } from "@/components/StalledTag";
import { useFormat } from "@/lib/i18n/format";
import { usePeople } from "@/lib/people";
import { sumDecimals } from "@/lib/decimal";

import { useTeamPerformance } from "../api/reports";
import { useOpenDeals, usePipelines, useStalledDeals } from "../api/sales";
import { HomeCard } from "./HomeCard";

const STALLED_SHOWN = 8;

export function ManagerSection({ team, me }: { team: string | null; me: string }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const pipelines = usePipelines();
  const deals = useOpenDeals(team, "stage_changed_at");
  const stalled = useStalledDeals(team, STALLED_SHOWN);
  const performance = useTeamPerformance(team);
  const person = usePeople((performance.data?.rows ?? []).map((row) => row.group));

  const stageNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const pipeline of pipelines.data ?? [])
      for (const stage of pipeline.stages) names.set(stage.key, stage.name);
    return names;
  }, [pipelines.data]);

  const byStage = useMemo(() => {
    const order = (pipelines.data ?? []).flatMap((pipeline) =>
      pipeline.stages.map((stage) => stage.key),
    );
    const groups = new Map<string, string[]>();
    for (const deal of deals.data?.items ?? [])
      groups.set(deal.stage, [...(groups.get(deal.stage) ?? []), deal.amount]);
    return [...groups.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([stage, amounts]) => ({ stage, count: amounts.length, amount: sumDecimals(amounts) }));
  }, [deals.data, pipelines.data]);

  const dealsLoading = (deals.isPending || pipelines.isPending) && deals.fetchStatus !== "idle";

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <HomeCard
          testId="home-team-pipeline"
          title={t("manager.pipeline")}
          to="/sales/pipeline"
          linkLabel={t("links.pipeline")}
          loading={dealsLoading}
          error={deals.error ?? pipelines.error}
          onRetry={() => void deals.refetch()}
        >
          <Table
            size="small"
            rowKey="stage"
            pagination={false}
            scroll={{ x: true }}
            dataSource={byStage}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("manager.noDeals")}</Typography.Text>,
            }}
            columns={[
              {
                title: t("manager.stage"),
                dataIndex: "stage",
                render: (stage: string) => stageNames.get(stage) ?? stage,
              },
              { title: t("manager.deals"), dataIndex: "count", align: "right" },
              {
                title: t("manager.amount"),
                dataIndex: "amount",
                align: "right",
                render: (amount: string) => format.money(amount),
              },
            ]}
          />
        </HomeCard>
      </Col>
      <Col xs={24} lg={12}>
        <HomeCard
          testId="home-stalled"
          title={t("manager.stalled")}
          to="/sales/pipeline?stalled=1"
          linkLabel={t("links.stalled")}
          loading={stalled.isPending && stalled.fetchStatus !== "idle"}
          error={stalled.error}
          onRetry={() => void stalled.refetch()}
        >
          {(stalled.data?.total ?? 0) > 0 && (
            <Typography.Paragraph type="secondary">
              {t("manager.stalledTotal", { count: stalled.data?.total })}
            </Typography.Paragraph>
          )}
          <List
            dataSource={stalled.data?.items ?? []}
            locale={{
              emptyText: (
                <Typography.Text type="secondary">{t("manager.noStalled")}</Typography.Text>
              ),
            }}
            renderItem={(deal) => (
              <List.Item extra={deal.stalled_since && <StalledTag since={deal.stalled_since} />}>
                <List.Item.Meta
                  title={
                    <Link to={`/sales/opportunities/${deal.opportunity_id}`}>{deal.name}</Link>
                  }
                  description={`${stageNames.get(deal.stage) ?? deal.stage} · ${format.money(deal.amount, deal.currency)}`}
                />
              </List.Item>
            )}
          />
        </HomeCard>
      </Col>
      <Col xs={24}>
        <HomeCard
          testId="home-team-performance"
          title={t("manager.performance")}
          to="/analytics"
          linkLabel={t("links.analytics")}
          loading={performance.isPending && performance.fetchStatus !== "idle"}
          error={performance.error}
          onRetry={() => void performance.refetch()}
        >
          <Table
            size="small"
            rowKey="group"
            pagination={false}
            scroll={{ x: true }}
            dataSource={performance.data?.rows ?? []}
            locale={{
              emptyText: (
                <Typography.Text type="secondary">{t("manager.noPerformance")}</Typography.Text>
              ),
            }}
            columns={[
              {
                title: t("manager.rep"),
                dataIndex: "group",
                render: (group: string) =>
                  group === me ? t("manager.me") : (person(group) ?? group),
              },
              { title: t("manager.deals"), dataIndex: "opportunities", align: "right" },
              { title: t("manager.won"), dataIndex: "won", align: "right" },
              {
                title: t("manager.winRate"),
                dataIndex: "win_rate",
                align: "right",
                render: (rate: number | null) => format.percent(rate),
              },
              {
                title: t("manager.revenue"),
                dataIndex: "revenue",
                align: "right",
                render: (revenue: string) => format.money(revenue),
              },
            ]}
          />
        </HomeCard>
      </Col>
    </Row>
  );
}
