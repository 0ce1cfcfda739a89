/** The forecast (S-10): weighted pipeline (amount × stage probability) per period,
 * by rep or team, as a bar chart with the same figures in a table. */
import { Alert, Card, Flex, Segmented, Skeleton, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";
import { ReportChart } from "@/components/ReportChart";

import { type Granularity, type GroupBy, useForecast } from "../api/forecast";
import { forecastPeriods, periodLabel } from "../lib/forecastPeriods";
import { useOwnerName } from "../lib/useOwnerName";

export function ForecastPage() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const [granularity, setGranularity] = useState<Granularity>("quarter");
  const [groupBy, setGroupBy] = useState<GroupBy>("owner");
  const forecast = useForecast(granularity, groupBy);
  const rows = useMemo(() => forecast.data?.rows ?? [], [forecast.data]);
  const ownerName = useOwnerName(groupBy === "owner" ? rows.map((row) => row.group) : []);

  const groupName = (group: string | null | undefined) => {
    if (groupBy === "owner") return ownerName(group);
    if (groupBy === "team") return group ?? t("forecast.noTeam");
    return t("forecast.all");
  };

  const option = useMemo(() => {
    const periods = forecastPeriods(rows);
    const groups = [...new Set(rows.map((row) => row.group ?? ""))];
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: {
        type: "category",
        data: periods.map((period) => periodLabel(period, t("forecast.unscheduled"))),
      },
      yAxis: { type: "value" },
      series: groups.map((group) => ({
        name: groupName(group || null),
        type: "bar",
        stack: "weighted",
        data: periods.map((period) =>
          Number(
            rows.find((row) => row.period === period && (row.group ?? "") === group)
              ?.weighted_amount ?? 0,
          ),
        ),
      })),
    };
    // groupName depends on groupBy and names only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, groupBy, ownerName, t]);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("forecast.title")}
      </Typography.Title>
      <Flex gap={12} wrap>
        <Segmented
          aria-label={t("forecast.granularity")}
          value={granularity}
          onChange={(value) => setGranularity(value as Granularity)}
          options={[
            { value: "month", label: t("forecast.month") },
            { value: "quarter", label: t("forecast.quarter") },
          ]}
        />
        <Segmented
          aria-label={t("forecast.groupBy")}
          value={groupBy}
          onChange={(value) => setGroupBy(value as GroupBy)}
          options={[
            { value: "owner", label: t("forecast.byOwner") },
            { value: "team", label: t("forecast.byTeam") },
            { value: "none", label: t("forecast.byNone") },
          ]}
        />
      </Flex>
      {forecast.error && <Alert type="error" showIcon title={errorText(t, forecast.error)} />}
      {forecast.isPending ? (
        <Skeleton active />
      ) : (
        <>
          <Card size="small">
            <ReportChart option={option} label={t("forecast.title")} height={320} />
          </Card>
          <Table
            rowKey={(row) => `${row.period}-${row.group ?? ""}`}
            dataSource={rows}
            pagination={false}
            scroll={{ x: true }}
            size="small"
            columns={[
              {
                key: "period",
                title: t("forecast.period"),
                render: (_, row) => periodLabel(row.period, t("forecast.unscheduled")),
              },
              {
                key: "group",
                title: t("forecast.group"),
                render: (_, row) => groupName(row.group),
              },
              {
                key: "count",
                title: t("forecast.opportunities"),
                render: (_, row) => format.number(row.opportunities),
              },
              {
                key: "amount",
                title: t("forecast.pipeline"),
                render: (_, row) => format.money(row.pipeline_amount, row.currency),
              },
              {
                key: "weighted",
                title: t("forecast.weighted"),
                render: (_, row) => format.money(row.weighted_amount, row.currency),
              },
            ]}
          />
        </>
      )}
    </Flex>
  );
}
