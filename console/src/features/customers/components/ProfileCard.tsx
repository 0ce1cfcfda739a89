/** The profile as the API returns it: personal numbers masked for roles without
 * customers:read_pii (C-10). */
import { LockOutlined } from "@ant-design/icons";
import { Card, Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { PersonName } from "@/components/PersonName";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import type { Customer } from "../api/customers";

const SHOWN = [
  "member_id",
  "phone",
  "email",
  "national_id",
  "company",
  "title",
  "industry",
  "company_size",
  "region",
  "address",
  "source_channel",
  "owner_id",
  "team",
] as const;

export function ProfileCard({ customer, extra }: { customer: Customer; extra?: React.ReactNode }) {
  const { t } = useTranslation("customers");
  const format = useFormat();
  const { me } = useSession();
  const items = [
    ...SHOWN.map((field) => ({
      key: field,
      label: t(`fields.${field}`),
      children:
        field !== "owner_id" ? (
          (customer[field] ?? "—")
        ) : me && customer.owner_id === me.subject ? (
          t("detail.you")
        ) : (
          <PersonName id={customer.owner_id} />
        ),
    })),
    {
      key: "language",
      label: t("fields.language"),
      children: t(`languages.${customer.language ?? "default"}`),
    },
    {
      key: "tags",
      label: t("fields.tags"),
      children: customer.tags.length ? customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : "—",
    },
    ...Object.entries(customer.custom_fields).map(([key, value]) => ({
      key: `custom.${key}`,
      label: key,
      children: String(value ?? "—"),
    })),
    {
      key: "created_at",
      label: t("fields.created_at"),
      children: format.dateTime(customer.created_at),
    },
    {
      key: "updated_at",
      label: t("fields.updated_at"),
      children: format.dateTime(customer.updated_at),
    },
  ];
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
          {t("detail.profile")}
        </Typography.Title>
      }
      extra={extra}
    >
      {customer.pii_masked && (
        <Typography.Paragraph type="secondary">
          <LockOutlined aria-hidden /> {t("detail.piiMasked")}
        </Typography.Paragraph>
      )}
      <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" items={items} />
    </Card>
  );
}
