/** Customer value and churn risk: lifetime value, last activity, risk band. */
import { Col, Form, InputNumber, Row, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ReportChart } from "@/components/ReportChart";
import { useFormat } from "@/lib/i18n/format";

import { useCustomerValues } from "../api/reports";
import { QueryBoundary } from "./QueryBoundary";

const BAND_COLOR = { high: "red", medium: "#8a4b00", low: "#1b5e20" } as const;
const PAGE = 20;

export function CustomersTab() {
  const { t } = useTranslation("analytics");
  const format = useFormat();
  const [page, setPage] = useState(1);
  const [inactiveDays, setInactiveDays] = useState<number | null>(null);
  const values = useCustomerValues((page - 1) * PAGE, PAGE, inactiveDays);
  return (
    <>
      <Form layout="inline" style={{ marginBottom: 12 }}>
        <Form.Item label={t("customers.inactiveDays")} htmlFor="analytics-inactive-days">
          <InputNumber
            id="analytics-inactive-days"
            min={0}
            max={3650}
            value={inactiveDays}
            onChange={(value) => {
              setInactiveDays(value ?? null);
              setPage(1);
            }}
          />
        </Form.Item>
      </Form>
      <QueryBoundary query={values}>
        {(result) => {
          const bands = (["high", "medium", "low"] as const).map((band) => ({
            name: t(`customers.band.${band}`),
            value: result.items.filter((item) => item.churn_band === band).length,
          }));
          return (
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={8}>
                <ReportChart
                  label={t("customers.chart")}
                  height={260}
                  option={{
                    tooltip: { trigger: "item" },
                    legend: { bottom: 0 },
                    color: ["#c62828", "#ef6c00", "#2e7d32"],
                    series: [{ type: "pie", radius: ["40%", "70%"], data: bands }],
                  }}
                />
              </Col>
              <Col xs={24} lg={16}>
                <Table
                  size="small"
                  rowKey="customer_id"
                  scroll={{ x: true }}
                  dataSource={result.items}
                  pagination={{
                    current: page,
                    pageSize: PAGE,
                    total: result.total,
                    showSizeChanger: false,
                    onChange: setPage,
                  }}
                  columns={[
                    {
                      title: t("customers.name"),
                      dataIndex: "name",
                      render: (name: string | null, row) => name ?? row.customer_id,
                    },
                    { title: t("customers.tier"), dataIndex: "tier" },
                    {
                      title: t("customers.ltv"),
                      dataIndex: "lifetime_value",
                      align: "right",
                      render: (value: string) => format.money(value),
                    },
                    { title: t("customers.orders"), dataIndex: "orders", align: "right" },
                    {
                      title: t("customers.lastActivity"),
                      dataIndex: "last_activity_at",
                      render: (value: string | null) => format.date(value),
                    },
                    {
                      title: t("customers.risk"),
                      dataIndex: "churn_risk",
                      render: (risk: number, row) => (
                        <Tag color={BAND_COLOR[row.churn_band]}>
                          {t(`customers.band.${row.churn_band}`)} · {risk}
                        </Tag>
                      ),
                    },
                  ]}
                />
              </Col>
            </Row>
          );
        }}
      </QueryBoundary>
    </>
  );
}
