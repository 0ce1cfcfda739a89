/** /customers/duplicates: groups of customers that are likely one person or company;
 * pick the one that stays and merge the others into it (C-9). */
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Radio,
  Spin,
  Table,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import type { Customer } from "../api/customers";
import { type DuplicateGroup, useDuplicates, useMerge } from "../api/duplicates";
import { TierTag } from "./TierTag";

const REASONS: Record<string, string> = {
  "same name and company": "duplicates.sameNameAndCompany",
  "contact email": "duplicates.contactEmail",
};

function Group({ group, index }: { group: DuplicateGroup; index: number }) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const format = useFormat();
  const merge = useMerge();
  const [survivor, setSurvivor] = useState(group.customers[0]?.id);
  const others = group.customers.filter((customer) => customer.id !== survivor);
  const reasonKey = REASONS[group.reason];
  const survivorName = group.customers.find((customer) => customer.id === survivor)?.name ?? "";

  const mergeAll = async () => {
    try {
      for (const other of others) {
        await merge.mutateAsync({ surviving_id: survivor ?? "", merged_id: other.id });
      }
      void message.success(t("duplicates.merged", { name: survivorName }));
    } catch (error) {
      void message.error(errorText(t, error));
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
          {t("duplicates.group", { number: index + 1 })} · {reasonKey ? t(reasonKey) : group.reason}
        </Typography.Title>
      }
    >
      <Radio.Group
        value={survivor}
        onChange={(event) => setSurvivor(event.target.value as string)}
        style={{ width: "100%" }}
      >
        <Table<Customer>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={group.customers}
          columns={[
            {
              key: "keep",
              title: t("duplicates.keep"),
              render: (_, customer) => (
                <Radio
                  value={customer.id}
                  aria-label={t("duplicates.keepThis", {
                    name: customer.name,
                    member: customer.member_id,
                  })}
                />
              ),
            },
            {
              key: "name",
              title: t("fields.name"),
              render: (_, customer) => (
                <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
              ),
            },
            { key: "member_id", dataIndex: "member_id", title: t("fields.member_id") },
            {
              key: "company",
              dataIndex: "company",
              title: t("fields.company"),
              render: (v) => v ?? "—",
            },
            { key: "phone", dataIndex: "phone", title: t("fields.phone"), render: (v) => v ?? "—" },
            { key: "email", dataIndex: "email", title: t("fields.email"), render: (v) => v ?? "—" },
            {
              key: "tier",
              title: t("fields.tier"),
              render: (_, customer) => <TierTag tier={customer.tier} />,
            },
            {
              key: "total",
              title: t("fields.total_consumption"),
              render: (_, customer) => format.money(customer.consumption.total_consumption),
            },
            {
              key: "created_at",
              title: t("fields.created_at"),
              render: (_, customer) => format.date(customer.created_at),
            },
          ]}
        />
      </Radio.Group>
      <Popconfirm
        title={t("duplicates.confirm", { count: others.length, name: survivorName })}
        onConfirm={() => mergeAll()}
        okText={t("actions.confirm", { ns: "common" })}
        cancelText={t("actions.cancel", { ns: "common" })}
      >
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          loading={merge.isPending}
          disabled={!survivor || others.length === 0}
        >
          {t("duplicates.mergeInto", { name: survivorName })}
        </Button>
      </Popconfirm>
    </Card>
  );
}

export function DuplicatesPage() {
  const { t } = useTranslation(["customers", "common"]);
  const { can } = useSession();
  const { data, error, isLoading } = useDuplicates();

  if (!can("customers:admin")) {
    return <Alert type="error" showIcon title={t("errors.forbidden", { ns: "common" })} />;
  }
  return (
    <Flex vertical gap={16}>
      <Link to="/customers">{t("detail.backToList")}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("duplicates.title")}
      </Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t("duplicates.intro")}</Typography.Paragraph>
      {isLoading && <Spin />}
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      {data && data.length === 0 && <Empty description={t("duplicates.none")} />}
      {data?.map((group, index) => (
        <Group
          key={group.customers.map((customer) => customer.id).join()}
          group={group}
          index={index}
        />
      ))}
    </Flex>
  );
}
