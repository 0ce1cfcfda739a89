/** Per rep (or team): deals, won and lost, win rate, days to close, revenue. */
import { Table } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";
import { usePeople } from "@/lib/people";

import { usePerformance } from "../api/reports";
import type { ReportFilters } from "../lib/filters";
import { QueryBoundary } from "./QueryBoundary";

export function PerformanceTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const performance = usePerformance(filters);
  const byOwner = filters.groupBy !== "team";
  const person = usePeople(byOwner ? (performance.data?.rows ?? []).map((row) => row.group) : []);
  const groupName = (group: string) => (byOwner ? (person(group) ?? group) : group);
  return (
    <QueryBoundary query={performance}>
      {(report) => (
        <>
          <ReportChart
            label={t("performance.chart")}
            option={{
              tooltip: { trigger: "axis" },
              legend: {},
              grid: { left: 48, right: 16, top: 40, bottom: 48, containLabel: true },
              xAxis: { type: "category", data: report.rows.map((row) => groupName(row.group)) },
              yAxis: { type: "value" },
              series: [
                {
                  type: "bar",
                  name: t("performance.won"),
                  data: report.rows.map((row) => row.won),
                },
                {
                  type: "bar",
                  name: t("performance.lost"),
                  data: report.rows.map((row) => row.lost),
                },
                {
                  type: "bar",
                  name: t("performance.opportunities"),
                  data: report.rows.map((row) => row.opportunities),
                },
              ],
            }}
          />
          <Table
            size="small"
            rowKey="group"
            pagination={false}
            scroll={{ x: true }}
            dataSource={report.rows}
            summary={() =>
              report.rows.length > 1 ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>{t("performance.totals")}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {report.totals.opportunities}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {report.totals.won}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {report.totals.lost}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {format.percent(report.totals.win_rate)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {format.number(report.totals.average_days_to_close, 1)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {format.money(report.totals.revenue)}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
            columns={[
              {
                title: t(filters.groupBy === "team" ? "filters.team" : "filters.owner"),
                dataIndex: "group",
                render: (group: string) => groupName(group),
              },
              { title: t("performance.opportunities"), dataIndex: "opportunities", align: "right" },
              { title: t("performance.won"), dataIndex: "won", align: "right" },
              { title: t("performance.lost"), dataIndex: "lost", align: "right" },
              {
                title: t("performance.winRate"),
                dataIndex: "win_rate",
                align: "right",
                render: (value: number | null) => format.percent(value),
              },
              {
                title: t("performance.days"),
                dataIndex: "average_days_to_close",
                align: "right",
                render: (value: number | null) => format.number(value, 1),
              },
              {
                title: t("performance.revenue"),
                dataIndex: "revenue",
                align: "right",
                render: (value: string) => format.money(value),
              },
            ]}
          />
        </>
      )}
    </QueryBoundary>
  );
}
