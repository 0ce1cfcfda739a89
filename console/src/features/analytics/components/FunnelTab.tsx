/** The sales funnel: how many deals entered each stage and how many went on. */
import { Col, Row, Table } from "antd";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useFunnel } from "../api/reports";
import type { ReportFilters } from "../lib/filters";
import { Figure } from "./Figure";
import { QueryBoundary } from "./QueryBoundary";

export function FunnelTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const funnel = useFunnel(filters);
  return (
    <QueryBoundary query={funnel}>
      {(report) => (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Figure
              title={t("funnel.opportunities")}
              value={format.number(report.opportunities)}
              testId="funnel-opportunities"
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure title={t("funnel.overall")} value={format.percent(report.overall_conversion)} />
          </Col>
          <Col xs={24} lg={12}>
            <ReportChart
              label={t("funnel.chart")}
              option={{
                tooltip: { trigger: "item" },
                series: [
                  {
                    type: "funnel",
                    sort: "none",
                    left: "10%",
                    width: "80%",
                    label: { show: true, position: "inside" },
                    data: report.stages.map((stage) => ({
                      name: stage.stage,
                      value: stage.entered,
                    })),
                  },
                ],
              }}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Table
              size="small"
              rowKey="stage"
              pagination={false}
              scroll={{ x: true }}
              dataSource={report.stages}
              columns={[
                { title: t("funnel.stage"), dataIndex: "stage" },
                { title: t("funnel.entered"), dataIndex: "entered", align: "right" },
                {
                  title: t("funnel.conversion"),
                  dataIndex: "conversion_to_next",
                  align: "right",
                  render: (value: number | null) => format.percent(value),
                },
                {
                  title: t("funnel.days"),
                  dataIndex: "average_days_in_stage",
                  align: "right",
                  render: (value: number | null) => format.number(value, 1),
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </QueryBoundary>
  );
}
