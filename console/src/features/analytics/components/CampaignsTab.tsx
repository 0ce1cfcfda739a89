/** Campaign results: ROI, cost per acquisition, participation, conversion, opens, clicks. */
import { Table } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useCampaignReport } from "../api/reports";
import { QueryBoundary } from "./QueryBoundary";

export function CampaignsTab() {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const campaigns = useCampaignReport();
  const percent = (value: number | null) => format.percent(value);
  return (
    <QueryBoundary query={campaigns}>
      {(report) => (
        <>
          <ReportChart
            label={t("campaigns.chart")}
            option={{
              tooltip: { trigger: "axis" },
              legend: {},
              grid: { left: 16, right: 16, top: 40, bottom: 32, containLabel: true },
              xAxis: { type: "category", data: report.campaigns.map((row) => row.name) },
              yAxis: {
                type: "value",
                axisLabel: { formatter: (value: number) => format.percent(value, 0) },
              },
              series: [
                {
                  type: "bar",
                  name: t("campaigns.roi"),
                  data: report.campaigns.map((row) => row.roi ?? 0),
                },
                {
                  type: "bar",
                  name: t("campaigns.conversion"),
                  data: report.campaigns.map((row) => row.conversion ?? 0),
                },
              ],
            }}
          />
          <Table
            size="small"
            rowKey="campaign_id"
            pagination={false}
            scroll={{ x: true }}
            dataSource={report.campaigns}
            columns={[
              { title: t("campaigns.name"), dataIndex: "name" },
              { title: t("campaigns.participants"), dataIndex: "participants", align: "right" },
              { title: t("campaigns.converted"), dataIndex: "converted", align: "right" },
              {
                title: t("campaigns.conversion"),
                dataIndex: "conversion",
                align: "right",
                render: percent,
              },
              {
                title: t("campaigns.openRate"),
                dataIndex: "open_rate",
                align: "right",
                render: percent,
              },
              {
                title: t("campaigns.clickRate"),
                dataIndex: "click_rate",
                align: "right",
                render: percent,
              },
              {
                title: t("campaigns.cost"),
                dataIndex: "cost",
                align: "right",
                render: (value: string) => format.money(value),
              },
              {
                title: t("campaigns.revenue"),
                dataIndex: "revenue",
                align: "right",
                render: (value: string) => format.money(value),
              },
              {
                title: t("campaigns.cpa"),
                dataIndex: "cpa",
                align: "right",
                render: (value: string | null) => format.money(value),
              },
              { title: t("campaigns.roi"), dataIndex: "roi", align: "right", render: percent },
            ]}
          />
        </>
      )}
    </QueryBoundary>
  );
}
