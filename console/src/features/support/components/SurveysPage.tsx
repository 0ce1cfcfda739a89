import {
  Alert,
  Card,
  Col,
  Flex,
  Grid,
  Row,
  Segmented,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from "antd";
import type { TableProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Schemas } from "@/lib/api/client";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { type Survey, useKpis, useSurveyTracking, useSurveys } from "../api/surveys";
import { useDuration, useErrorText, usePersonName } from "../lib/hooks";
import { GREEN, RED } from "../lib/lifecycle";

import { CardTitle } from "./CardTitle";

const PERIODS = [7, 30, 90];
const SURVEY_STATUSES: Schemas["SurveyStatus"][] = ["pending", "sent", "answered", "no_recipient"];
const BACKLOG = ["under_1_day", "1_to_3_days", "3_to_7_days", "over_7_days"];

function TargetTag({ met }: { met: boolean | null | undefined }) {
  const { t } = useTranslation("support");
  if (met === null || met === undefined) return <Tag>{t("kpis.noData")}</Tag>;
  return (
    <Tag variant="solid" color={met ? GREEN : RED}>
      {t(met ? "kpis.met" : "kpis.missed")}
    </Tag>
  );
}

/** The service KPIs against their targets (T-7), for those who read reports. */
function Kpis() {
  const { t } = useTranslation("support");
  const format = useFormat();
  const duration = useDuration();
  const errorText = useErrorText();
  const [days, setDays] = useState(30);
  const { data, error, isLoading } = useKpis(days, true);
  const overall = data?.overall;
  const seconds = (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : duration(value);
  const cards = [
    {
      key: "first_response",
      title: t("kpis.firstResponse"),
      value: seconds(overall?.average_first_response_seconds),
      target: t("kpis.targetFirstResponse"),
    },
    {
      key: "first_contact_resolution",
      title: t("kpis.fcr"),
      value: format.percent(overall?.first_contact_resolution_rate),
      target: t("kpis.targetFcr"),
    },
    {
      key: "csat",
      title: t("kpis.csat"),
      value: format.percent(overall?.csat_rate),
      target: t("kpis.targetCsat"),
    },
    {
      key: "handling_time",
      title: t("kpis.handling"),
      value: seconds(overall?.average_handling_seconds),
      target: t("kpis.targetHandling"),
    },
  ];
  return (
    <section aria-labelledby="kpis-title">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={2} id="kpis-title" style={{ fontSize: 18, margin: 0 }}>
          {t("kpis.title")}
        </Typography.Title>
        <Segmented
          aria-label={t("kpis.period")}
          value={days}
          onChange={(value) => setDays(Number(value))}
          options={PERIODS.map((period) => ({
            value: period,
            label: t("kpis.days", { count: period }),
          }))}
        />
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Row gutter={[12, 12]}>
        {cards.map((card) => (
          <Col key={card.key} xs={24} sm={12} xl={6}>
            <Card size="small" loading={isLoading}>
              <Statistic title={card.title} value={card.value} />
              <Flex gap={6} align="center" wrap>
                <TargetTag met={overall?.meets_targets[card.key]} />
                <Typography.Text type="secondary">{card.target}</Typography.Text>
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      {overall && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t("kpis.summary", {
            tickets: overall.tickets,
            resolved: overall.resolved,
            answered: overall.surveys_answered,
          })}{" "}
          {t("kpis.backlog")}:{" "}
          {BACKLOG.map((bucket) =>
            t("kpis.bucket", {
              bucket: t(`kpis.buckets.${bucket}`),
              count: overall.backlog_by_age[bucket] ?? 0,
            }),
          ).join(" · ")}
        </Typography.Paragraph>
      )}
    </section>
  );
}

/** Satisfaction surveys (T-6): how many went out and came back, and the answers. */
export function SurveysPage() {
  const { t } = useTranslation(["support", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const errorText = useErrorText();
  const screens = Grid.useBreakpoint();
  const [status, setStatus] = useState<Schemas["SurveyStatus"] | undefined>("answered");
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const tracking = useSurveyTracking();
  const surveys = useSurveys((page - 1) * pageSize, pageSize, status);
  const personName = usePersonName((surveys.data?.items ?? []).map((survey) => survey.agent_id));

  const columns: TableProps<Survey>["columns"] = [
    {
      title: t("surveys.ticket"),
      dataIndex: "ticket_reference",
      render: (reference: string, survey) => (
        <Link to={`/support/tickets/${survey.ticket_id}`}>{reference}</Link>
      ),
    },
    {
      title: t("surveys.score"),
      dataIndex: "score",
      render: (score: number | null) => (score === null ? "—" : t("surveys.scoreOf", { score })),
    },
    {
      title: t("surveys.comment"),
      dataIndex: "comment",
      render: (value: string | null) => value ?? "—",
    },
    {
      title: t("surveys.status"),
      dataIndex: "status",
      render: (value: Schemas["SurveyStatus"]) => t(`surveys.statuses.${value}`),
    },
    {
      title: t("surveys.agent"),
      dataIndex: "agent_id",
      render: (id: string | null) => personName(id),
    },
    {
      title: t("surveys.answeredAt"),
      dataIndex: "answered_at",
      render: (value: string | null) => format.dateTime(value),
    },
  ];

  return (
    <Flex vertical gap={20}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("surveys.title")}
      </Typography.Title>
      {can("reports:read") && <Kpis />}
      <section aria-labelledby="surveys-title">
        <Typography.Title level={2} id="surveys-title" style={{ fontSize: 18 }}>
          {t("surveys.responses")}
        </Typography.Title>
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t("surveys.sent")} value={tracking.data?.sent ?? "—"} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t("surveys.answered")} value={tracking.data?.answered ?? "—"} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic
                title={t("surveys.responseRate")}
                value={format.percent(tracking.data?.response_rate)}
              />
            </Card>
          </Col>
        </Row>
        <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
          <Select<Schemas["SurveyStatus"]>
            allowClear
            aria-label={t("surveys.status")}
            placeholder={t("surveys.allStatuses")}
            style={{ minWidth: 160 }}
            value={status}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
            options={SURVEY_STATUSES.map((value) => ({
              value,
              label: t(`surveys.statuses.${value}`),
            }))}
          />
        </Flex>
        {surveys.error && <Alert type="error" showIcon title={errorText(surveys.error)} />}
        <Table<Survey>
          rowKey="id"
          size={screens.md ? "middle" : "small"}
          columns={columns}
          dataSource={surveys.data?.items}
          loading={surveys.isFetching}
          scroll={{ x: true }}
          title={() => <CardTitle>{t("surveys.list")}</CardTitle>}
          pagination={{
            current: page,
            pageSize,
            total: surveys.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
          }}
        />
      </section>
    </Flex>
  );
}
