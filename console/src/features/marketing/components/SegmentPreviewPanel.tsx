/** Who is in the segment right now: the count and a sample, as the API evaluates it. */
import { Alert, Card, Statistic, Table } from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import type { SegmentPreview } from "../api/segments";

type Sample = SegmentPreview["sample"][number];

export function SegmentPreviewPanel({
  preview,
  loading,
  error,
}: {
  preview: SegmentPreview | undefined;
  loading: boolean;
  error: unknown;
}) {
  const { t, i18n } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  return (
    <Card title={t("segment.preview")} size="small" aria-live="polite">
      {error ? (
        <Alert type="warning" showIcon title={errorText(t, error)} />
      ) : (
        <>
          <div data-testid="segment-preview-count">
            <Statistic
              title={t("segment.matching")}
              value={preview ? format.number(preview.count) : "—"}
              loading={loading && !preview}
            />
          </div>
          <Table<Sample>
            size="small"
            rowKey="customer_id"
            style={{ marginTop: 12 }}
            pagination={false}
            dataSource={preview?.sample ?? []}
            scroll={{ x: true }}
            columns={[
              {
                title: t("segment.sampleName"),
                dataIndex: "name",
                render: (v: string | null) => v ?? "—",
              },
              {
                title: t("rule.tiers"),
                dataIndex: "tier",
                render: (v: string | null) =>
                  v && i18n.exists(`marketing:tier.${v}`) ? t(`tier.${v}`) : (v ?? "—"),
              },
              {
                title: t("segment.sampleRegion"),
                dataIndex: "region",
                render: (v: string | null) => v ?? "—",
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
