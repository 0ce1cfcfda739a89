/** Revenue and deals won per month or week. */
import { Flex, Segmented, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useRevenueTrend } from "../api/reports";
import type { ReportFilters } from "../lib/filters";
import { QueryBoundary } from "./QueryBoundary";

export function RevenueTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const [granularity, setGranularity] = useState<"month" | "week">("month");
  const trend = useRevenueTrend(filters, granularity);
  return (
    <Flex vertical gap={12}>
      <Segmented
        aria-label={t("revenue.granularity")}
        value={granularity}
        onChange={(value) => setGranularity(value as "month" | "week")}
        options={[
          { value: "month", label: t("revenue.month") },
          { value: "week", label: t("revenue.week") },
        ]}
        style={{ alignSelf: "flex-start" }}
      />
      <QueryBoundary query={trend}>
        {(points) => (
          <>
            <ReportChart
              label={t("revenue.chart")}
              option={{
                tooltip: { trigger: "axis" },
                legend: {},
                grid: { left: 16, right: 16, top: 40, bottom: 32, containLabel: true },
                xAxis: { type: "category", data: points.map((point) => point.period) },
                yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
                series: [
                  {
                    type: "line",
                    name: t("revenue.revenue"),
                    smooth: true,
                    data: points.map((point) => Number(point.revenue)),
                  },
                  {
                    type: "bar",
                    name: t("revenue.won"),
                    yAxisIndex: 1,
                    data: points.map((point) => point.won),
                  },
                ],
              }}
            />
            <Table
              size="small"
              rowKey="period"
              pagination={false}
              scroll={{ x: true }}
              dataSource={points}
              columns={[
                { title: t("revenue.period"), dataIndex: "period" },
                { title: t("revenue.won"), dataIndex: "won", align: "right" },
                {
                  title: t("revenue.revenue"),
                  dataIndex: "revenue",
                  align: "right",
                  render: (value: string) => format.money(value),
                },
              ]}
            />
          </>
        )}
      </QueryBoundary>
    </Flex>
  );
}
