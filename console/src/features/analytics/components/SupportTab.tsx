/** Support KPIs by month: SLA attainment, first contact resolution, CSAT, times. */
import { Col, Row, Table } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useSupportReport } from "../api/reports";
import type { ReportFilters } from "../lib/filters";
import { Figure } from "./Figure";
import { QueryBoundary } from "./QueryBoundary";

export function SupportTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const support = useSupportReport(filters);
  const percent = (value: number | null) => format.percent(value);
  return (
    <QueryBoundary query={support}>
      {(report) => (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Figure title={t("support.resolved")} value={format.number(report.totals.resolved)} />
          </Col>
          <Col xs={12} md={6}>
            <Figure title={t("support.sla")} value={format.percent(report.totals.sla_attainment)} />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              title={t("support.fcr")}
              value={format.percent(report.totals.first_contact_resolution)}
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure title={t("support.csat")} value={format.percent(report.totals.csat)} />
          </Col>
          <Col xs={24}>
            <ReportChart
              label={t("support.chart")}
              option={{
                tooltip: { trigger: "axis" },
                legend: {},
                grid: { left: 16, right: 16, top: 40, bottom: 32, containLabel: true },
                xAxis: { type: "category", data: report.by_month.map((row) => row.period) },
                yAxis: {
                  type: "value",
                  max: 1,
                  axisLabel: { formatter: (value: number) => format.percent(value, 0) },
                },
                series: [
                  { key: "sla_attainment", name: t("support.sla") },
                  { key: "first_contact_resolution", name: t("support.fcr") },
                  { key: "csat", name: t("support.csat") },
                ].map((line) => ({
                  type: "line",
                  name: line.name,
                  connectNulls: true,
                  data: report.by_month.map((row) => row[line.key as "csat"]),
                })),
              }}
            />
          </Col>
          <Col xs={24}>
            <Table
              size="small"
              rowKey="period"
              pagination={false}
              scroll={{ x: true }}
              dataSource={report.by_month}
              columns={[
                { title: t("support.period"), dataIndex: "period" },
                { title: t("support.opened"), dataIndex: "opened", align: "right" },
                { title: t("support.resolved"), dataIndex: "resolved", align: "right" },
                {
                  title: t("support.sla"),
                  dataIndex: "sla_attainment",
                  align: "right",
                  render: percent,
                },
                {
                  title: t("support.fcr"),
                  dataIndex: "first_contact_resolution",
                  align: "right",
                  render: percent,
                },
                {
                  title: t("support.firstResponse"),
                  dataIndex: "average_first_response_minutes",
                  align: "right",
                  render: (value: number | null) => format.number(value, 1),
                },
                {
                  title: t("support.handling"),
                  dataIndex: "average_handling_hours",
                  align: "right",
                  render: (value: number | null) => format.number(value, 1),
                },
                { title: t("support.csat"), dataIndex: "csat", align: "right", render: percent },
              ]}
            />
          </Col>
        </Row>
      )}
    </QueryBoundary>
  );
}
