/** Tier and consumption (C-2, C-3) and the RFM value score with its segments (C-6). */
import { Card, Col, Descriptions, Progress, Row, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

import type { Customer } from "../api/customers";
import { SegmentTags } from "./SegmentTags";
import { TierTag } from "./TierTag";

export function ValueCard({ customer }: { customer: Customer }) {
  const { t } = useTranslation("customers");
  const format = useFormat();
  const { consumption, value } = customer;
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
          {t("detail.value")}
        </Typography.Title>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12}>
          <Statistic
            title={t("fields.total_consumption")}
            value={format.money(consumption.total_consumption)}
          />
        </Col>
        <Col xs={24} sm={12}>
          <Typography.Text type="secondary">{t("fields.tier")}</Typography.Text>
          <div style={{ marginTop: 8 }} data-testid="customer-tier">
            <TierTag tier={customer.tier} />
          </div>
        </Col>
      </Row>
      <Descriptions
        style={{ marginTop: 16 }}
        column={1}
        size="small"
        items={[
          {
            key: "last",
            label: t("fields.last_consumption_at"),
            children: format.date(consumption.last_consumption_at),
          },
          {
            key: "frequency",
            label: t("fields.purchases_last_year"),
            children: format.number(consumption.purchases_last_year),
          },
          {
            key: "score",
            label: t("fields.value_score"),
            children: (
              <Progress
                percent={value.score}
                format={(percent) => String(percent ?? 0)}
                size="small"
                aria-label={t("fields.value_score")}
              />
            ),
          },
          {
            key: "rfm",
            label: t("fields.rfm"),
            children: t("detail.rfm", { r: value.recency, f: value.frequency, m: value.monetary }),
          },
          {
            key: "segments",
            label: t("fields.segments"),
            children: value.segments.length ? <SegmentTags segments={value.segments} /> : "—",
          },
        ]}
      />
    </Card>
  );
}
