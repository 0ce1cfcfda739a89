/** A sales rep's day: tasks due today and overdue, new leads, their pipeline. */
import { ExclamationCircleFilled } from "@ant-design/icons";
import { Col, List, Row, Space, Statistic, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/lib/i18n/format";
import { sumDecimals } from "@/lib/decimal";

import {
  useNewLeads,
  useOverdueTaskCount,
  usePipelineForecast,
  useTasksDueToday,
} from "../api/sales";
import { HomeCard } from "./HomeCard";

export function RepSection({ me }: { me: string }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const tasks = useTasksDueToday(me);
  const overdue = useOverdueTaskCount(me);
  const leads = useNewLeads(me);
  const forecast = usePipelineForecast(me);
  const rows = forecast.data?.rows ?? [];
  const currency = rows[0]?.currency ?? "CNY";
  const sameCurrency = rows.filter((row) => row.currency === currency);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <HomeCard
          testId="home-tasks"
          title={t("rep.tasks")}
          to="/sales/tasks"
          linkLabel={t("links.tasks")}
          loading={tasks.isPending && tasks.fetchStatus !== "idle"}
          error={tasks.error}
          onRetry={() => void tasks.refetch()}
        >
          {!!overdue.data && (
            <Typography.Paragraph>
              <Link to="/sales/tasks?view=overdue">
                {t("rep.overdueTotal", { count: overdue.data })}
              </Link>
            </Typography.Paragraph>
          )}
          <List
            dataSource={tasks.data ?? []}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("rep.noTasks")}</Typography.Text>,
            }}
            renderItem={(task) => (
              <List.Item
                extra={
                  task.overdue ? (
                    <Tag color="red" icon={<ExclamationCircleFilled aria-hidden />}>
                      {t("rep.overdue")}
                    </Tag>
                  ) : (
                    <Tag color="blue">{t("rep.today")}</Tag>
                  )
                }
              >
                <List.Item.Meta
                  title={<Link to="/sales/tasks">{task.title}</Link>}
                  description={t("rep.due", { when: format.dateTime(task.due_at) })}
                />
              </List.Item>
            )}
          />
        </HomeCard>
      </Col>
      <Col xs={24} lg={12}>
        <HomeCard
          testId="home-leads"
          title={t("rep.leads")}
          to="/sales/leads"
          linkLabel={t("links.leads")}
          loading={leads.isPending && leads.fetchStatus !== "idle"}
          error={leads.error}
          onRetry={() => void leads.refetch()}
        >
          <Typography.Paragraph type="secondary">
            {t("rep.leadsTotal", { count: leads.data?.total ?? 0 })}
          </Typography.Paragraph>
          <List
            dataSource={leads.data?.items ?? []}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("rep.noLeads")}</Typography.Text>,
            }}
            renderItem={(lead) => (
              <List.Item extra={<Tag>{t("rep.score", { score: lead.score })}</Tag>}>
                <List.Item.Meta
                  title={<Link to="/sales/leads">{lead.name}</Link>}
                  description={lead.company ?? format.date(lead.created_at)}
                />
              </List.Item>
            )}
          />
        </HomeCard>
      </Col>
      <Col xs={24}>
        <HomeCard
          testId="home-pipeline"
          title={t("rep.pipeline")}
          to="/sales/pipeline"
          linkLabel={t("links.pipeline")}
          loading={forecast.isPending && forecast.fetchStatus !== "idle"}
          error={forecast.error}
          onRetry={() => void forecast.refetch()}
        >
          <Space size="large" wrap>
            <Statistic
              title={t("rep.pipelineTotal")}
              value={format.money(
                sumDecimals(sameCurrency.map((row) => row.pipeline_amount)),
                currency,
              )}
            />
            <Statistic
              title={t("rep.weighted")}
              value={format.money(
                sumDecimals(sameCurrency.map((row) => row.weighted_amount)),
                currency,
              )}
            />
            <Statistic
              title={t("rep.openDeals")}
              value={format.number(rows.reduce((count, row) => count + row.opportunities, 0))}
            />
          </Space>
          {rows.length > 0 && (
            <List
              size="small"
              style={{ marginTop: 12 }}
              dataSource={rows}
              renderItem={(row) => (
                <List.Item>
                  <Typography.Text>
                    {row.period === "unscheduled" ? t("rep.unscheduled") : row.period}
                  </Typography.Text>
                  <Typography.Text>
                    {t("rep.periodLine", {
                      amount: format.money(row.pipeline_amount, row.currency),
                      weighted: format.money(row.weighted_amount, row.currency),
                    })}
                  </Typography.Text>
                </List.Item>
              )}
            />
          )}
        </HomeCard>
      </Col>
    </Row>
  );
}
