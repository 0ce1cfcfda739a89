/** /marketing/promotions: discounts, bundles and loyalty points with their validity;
 * each promotion's coupons open beside it, and new codes are issued there. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Segmented, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat, type Formatters } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Promotion, usePromotions } from "../api/promotions";
import { CouponsDrawer } from "./CouponsDrawer";
import { PromotionCreateModal } from "./PromotionCreateModal";

const PAGE_SIZE = 20;

/** The promotion's value as a reader understands it: 20%, ¥50.00, 200 points. */
export function promotionValue(
  promotion: Pick<Promotion, "kind" | "value">,
  format: Formatters,
  points: (count: number) => string,
): string {
  const value = Number(promotion.value);
  switch (promotion.kind) {
    case "percentage_discount":
      return format.percent(value / 100);
    case "loyalty_points":
      return points(value);
    default:
      return format.money(promotion.value);
  }
}

export function PromotionList() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const [active, setActive] = useState<"all" | "active">("all");
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Promotion>();
  const { data, isFetching, error } = usePromotions({
    active: active === "active" ? true : undefined,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const columns: ColumnsType<Promotion> = [
    {
      title: t("promotion.name"),
      dataIndex: "name",
      render: (name: string, promotion) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(promotion)}>
          {name}
        </Button>
      ),
    },
    {
      title: t("promotion.kind"),
      dataIndex: "kind",
      render: (kind: Promotion["kind"]) => <Tag>{t(`promotionKind.${kind}`)}</Tag>,
    },
    {
      title: t("promotion.value"),
      key: "value",
      align: "right",
      render: (_, p) => promotionValue(p, format, (count) => t("promotion.points", { count })),
    },
    {
      title: t("promotion.validFrom"),
      dataIndex: "valid_from",
      render: (v: string) => format.dateTime(v),
    },
    {
      title: t("promotion.validUntil"),
      dataIndex: "valid_until",
      render: (v: string | null) => format.dateTime(v),
    },
    {
      title: t("promotion.autoIssue"),
      dataIndex: "auto_issue_on_tier",
      render: (v: string | null) => (v ? t(`tier.${v}`) : "—"),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("promotions.title")}
        </Typography.Title>
        <Can permission="campaigns:write">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("promotions.new")}
          </Button>
        </Can>
      </Flex>
      <Segmented<"all" | "active">
        aria-label={t("promotions.show")}
        value={active}
        onChange={(value) => {
          setActive(value);
          setPage(1);
        }}
        options={[
          { value: "all", label: t("promotions.all") },
          { value: "active", label: t("promotions.activeNow") },
        ]}
        style={{ alignSelf: "flex-start" }}
      />
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Promotion>
        rowKey="id"
        loading={isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
      <PromotionCreateModal open={creating} onClose={() => setCreating(false)} />
      <CouponsDrawer promotion={open} onClose={() => setOpen(undefined)} />
    </Flex>
  );
}
