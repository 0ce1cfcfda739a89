/** The audit log: every write through the gateway, who made it and how it ended. */
import { DatePicker, Flex, Form, Input, Select, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { type Schemas } from "@/lib/api/client";
import { PersonName } from "@/components/PersonName";
import { useFormat } from "@/lib/i18n/format";

import { type AuditFilters, useAuditLog } from "../api/audit";
import { QueryError } from "./QueryError";

type Entry = Schemas["AuditEntry"];

const PAGE = 50;
const SERVICES = ["gateway", "customer", "sales", "marketing", "support", "analytics"];
const METHODS = ["POST", "PUT", "PATCH", "DELETE"];
const OUTCOMES = ["success", "denied", "rejected", "rate_limited", "error"];
const OUTCOME_COLOR: Record<string, string> = {
  success: "#1b5e20",
  denied: "red",
  rejected: "#8a4b00",
  rate_limited: "#5b2a86",
  error: "red",
};

interface Values {
  actor?: string;
  service?: string;
  method?: string;
  outcome?: string;
  path_prefix?: string;
  since?: Dayjs | null;
  until?: Dayjs | null;
}

export function AuditPage() {
  const { t } = useTranslation(["settings", "common"]);
  const format = useFormat();
  const [filters, setFilters] = useState<AuditFilters>({ offset: 0, limit: PAGE });
  const log = useAuditLog(filters);

  const apply = (values: Values) =>
    setFilters({
      offset: 0,
      limit: PAGE,
      actor: values.actor?.trim() || undefined,
      service: values.service,
      method: values.method,
      outcome: values.outcome,
      path_prefix: values.path_prefix?.trim() || undefined,
      since: values.since?.toISOString(),
      until: values.until?.toISOString(),
    });

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("audit.title")}
      </Typography.Title>
      <Form
        layout="inline"
        style={{ rowGap: 8 }}
        onValuesChange={(_, values: Values) => apply(values)}
      >
        <Form.Item name="actor" label={t("audit.actor")}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="service" label={t("audit.service")}>
          <Select
            allowClear
            style={{ width: 130 }}
            options={SERVICES.map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item name="method" label={t("audit.method")}>
          <Select
            allowClear
            style={{ width: 110 }}
            options={METHODS.map((value) => ({ value, label: value }))}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t("audit.outcome")}>
          <Select
            allowClear
            style={{ width: 130 }}
            options={OUTCOMES.map((value) => ({ value, label: t(`audit.outcomes.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="path_prefix" label={t("audit.path")}>
          <Input allowClear placeholder="/api/v1/customers" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="since" label={t("audit.since")}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="until" label={t("audit.until")}>
          <DatePicker showTime />
        </Form.Item>
      </Form>
      {log.error && <QueryError error={log.error} onRetry={() => void log.refetch()} />}
      <Table<Entry>
        size="small"
        rowKey="id"
        loading={log.isFetching && !log.data}
        dataSource={log.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: filters.offset / PAGE + 1,
          pageSize: PAGE,
          total: log.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => setFilters({ ...filters, offset: (page - 1) * PAGE }),
        }}
        columns={[
          {
            title: t("audit.at"),
            dataIndex: "at",
            render: (value: string) => format.dateTime(value),
          },
          {
            title: t("audit.actor"),
            key: "actor",
            render: (_, row) => (
              <>
                <div>
                  {row.actor_kind === "user" ? <PersonName id={row.actor} /> : (row.actor ?? "—")}
                </div>
                <Typography.Text type="secondary">
                  {row.roles
                    .map((role) => t(`roles.${role}`, { ns: "common", defaultValue: role }))
                    .join(" · ")}
                </Typography.Text>
              </>
            ),
          },
          { title: t("audit.method"), dataIndex: "method" },
          {
            title: t("audit.path"),
            dataIndex: "path",
            render: (path: string) => <Typography.Text code>{path}</Typography.Text>,
          },
          { title: t("audit.service"), dataIndex: "service" },
          { title: t("audit.status"), dataIndex: "status", align: "right" },
          {
            title: t("audit.outcome"),
            dataIndex: "outcome",
            render: (value: string) => (
              <Tag color={OUTCOME_COLOR[value]}>
                {t(`audit.outcomes.${value}`, { defaultValue: value })}
              </Tag>
            ),
          },
          {
            title: t("audit.duration"),
            dataIndex: "duration_ms",
            align: "right",
            render: (ms: number) => format.number(ms),
          },
          {
            title: t("audit.address"),
            dataIndex: "client_address",
            render: (value: string | null) => value ?? "—",
          },
        ]}
      />
    </Flex>
  );
}
