/** Analytics: the dashboard and each report as interactive charts with their figures,
 * for a period, exportable, and the weekly report e-mails. */
import { DatePicker, Flex, Form, Select, Tabs, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { apiMonth } from "@/lib/dates";

import type { ExportableReport } from "../api/reports";
import { filtersFrom, type ReportFilters } from "../lib/filters";
import { CampaignsTab } from "./CampaignsTab";
import { CustomersTab } from "./CustomersTab";
import { ExportMenu } from "./ExportMenu";
import { ForecastTab } from "./ForecastTab";
import { FunnelTab } from "./FunnelTab";
import { OverviewTab } from "./OverviewTab";
import { PerformanceTab } from "./PerformanceTab";
import { RevenueTab } from "./RevenueTab";
import { SchedulesTab } from "./SchedulesTab";
import { SupportTab } from "./SupportTab";

const EXPORTABLE: Record<string, ExportableReport> = {
  funnel: "funnel",
  performance: "performance",
  revenue: "revenue-trend",
  forecast: "forecast",
  campaigns: "campaigns",
  support: "support",
};

function FilterBar({
  filters,
  onChange,
}: {
  filters: ReportFilters;
  onChange: (next: ReportFilters) => void;
}) {
  const { t } = useTranslation("analytics");
  const month = (value: string) => dayjs(`${value}-01`);
  const set = (key: "from" | "to", value: Dayjs | null) => {
    if (!value) return;
    const next = { ...filters, [key]: apiMonth(value) };
    if (next.from > next.to) next[key === "from" ? "to" : "from"] = next[key];
    onChange(next);
  };
  return (
    <Form layout="inline" style={{ rowGap: 8 }}>
      <Form.Item label={t("filters.from")} htmlFor="analytics-from">
        <DatePicker
          id="analytics-from"
          picker="month"
          allowClear={false}
          value={month(filters.from)}
          onChange={(value) => set("from", value)}
        />
      </Form.Item>
      <Form.Item label={t("filters.to")} htmlFor="analytics-to">
        <DatePicker
          id="analytics-to"
          picker="month"
          allowClear={false}
          value={month(filters.to)}
          onChange={(value) => set("to", value)}
        />
      </Form.Item>
      <Form.Item label={t("filters.groupBy")} htmlFor="analytics-group">
        <Select
          id="analytics-group"
          style={{ width: 120 }}
          value={filters.groupBy}
          onChange={(groupBy) => onChange({ ...filters, groupBy })}
          options={[
            { value: "owner", label: t("filters.owner") },
            { value: "team", label: t("filters.team") },
          ]}
        />
      </Form.Item>
    </Form>
  );
}

export function AnalyticsPage() {
  const { t } = useTranslation("analytics");
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const tab = params.get("tab") ?? "overview";

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    setParams(next, { replace: true });
  };
  const setFilters = (next: ReportFilters) =>
    update({ from: next.from, to: next.to, group: next.groupBy });

  const items = [
    { key: "overview", label: t("tabs.overview"), children: <OverviewTab period={filters.to} /> },
    { key: "funnel", label: t("tabs.funnel"), children: <FunnelTab filters={filters} /> },
    {
      key: "performance",
      label: t("tabs.performance"),
      children: <PerformanceTab filters={filters} />,
    },
    { key: "revenue", label: t("tabs.revenue"), children: <RevenueTab filters={filters} /> },
    { key: "forecast", label: t("tabs.forecast"), children: <ForecastTab filters={filters} /> },
    { key: "customers", label: t("tabs.customers"), children: <CustomersTab /> },
    { key: "campaigns", label: t("tabs.campaigns"), children: <CampaignsTab /> },
    { key: "support", label: t("tabs.support"), children: <SupportTab filters={filters} /> },
    ...(can("reports:admin")
      ? [{ key: "schedules", label: t("tabs.schedules"), children: <SchedulesTab /> }]
      : []),
  ];
  const exportable = EXPORTABLE[tab];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("title")}
      </Typography.Title>
      <Flex justify="space-between" align="flex-start" wrap gap={8}>
        <FilterBar filters={filters} onChange={setFilters} />
        {/* Outside the tab list, whose children must all be tabs. */}
        {exportable && <ExportMenu report={exportable} filters={filters} />}
      </Flex>
      <Tabs
        activeKey={items.some((item) => item.key === tab) ? tab : "overview"}
        onChange={(key) => update({ tab: key })}
        items={items}
        destroyOnHidden
      />
    </Flex>
  );
}
