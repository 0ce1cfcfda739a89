/** The weighted open pipeline, by expected close month and by rep or team. */
import { Col, Row, Table } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useForecastReport } from "../api/reports";
import type { ReportFilters } from "../lib/filters";
import { Figure } from "./Figure";
import { QueryBoundary } from "./QueryBoundary";

export function ForecastTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const forecast = useForecastReport(filters);
  return (
    <QueryBoundary query={forecast}>
      {(report) => (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Figure title={t("forecast.open")} value={format.number(report.open)} />
          </Col>
          <Col xs={12} md={6}>
            <Figure title={t("forecast.amount")} value={format.money(report.amount)} />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              title={t("forecast.weighted")}
              value={format.money(report.weighted_pipeline)}
              testId="forecast-weighted"
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              title={t("forecast.nextQuarter", {
                from: report.next_quarter[0] ?? "",
                to: report.next_quarter[report.next_quarter.length - 1] ?? "",
              })}
              value={format.money(report.next_quarter_weighted)}
            />
          </Col>
          <Col xs={24} lg={14}>
            <ReportChart
              label={t("forecast.chart")}
              option={{
                tooltip: { trigger: "axis" },
                legend: {},
                grid: { left: 16, right: 16, top: 40, bottom: 32, containLabel: true },
                xAxis: { type: "category", data: report.by_expected_close.map((row) => row.group) },
                yAxis: { type: "value" },
                series: [
                  {
                    type: "bar",
                    name: t("forecast.amount"),
                    data: report.by_expected_close.map((row) => Number(row.amount)),
                  },
                  {
                    type: "bar",
                    name: t("forecast.weighted"),
                    data: report.by_expected_close.map((row) => Number(row.weighted)),
                  },
                ],
              }}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Table
              size="small"
              rowKey="group"
              pagination={false}
              scroll={{ x: true }}
              dataSource={report.by_group}
              columns={[
                {
                  title: t(filters.groupBy === "team" ? "filters.team" : "filters.owner"),
                  dataIndex: "group",
                },
                { title: t("forecast.open"), dataIndex: "open", align: "right" },
                {
                  title: t("forecast.amount"),
                  dataIndex: "amount",
                  align: "right",
                  render: (value: string) => format.money(value),
                },
                {
                  title: t("forecast.weighted"),
                  dataIndex: "weighted",
                  align: "right",
                  render: (value: string) => format.money(value),
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </QueryBoundary>
  );
}
