/** Addresses that never receive marketing mail (bounces, complaints, by hand). */
import { DeleteOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Flex, Form, Input, Popconfirm, Select, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText, showFieldErrors } from "@/lib/api/problem";
import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import {
  SUPPRESSION_REASONS,
  type Suppression,
  type SuppressionReason,
  useAddSuppression,
  useRemoveSuppression,
  useSuppressions,
} from "../api/consent";

const PAGE_SIZE = 20;

interface Values {
  email: string;
  reason: SuppressionReason;
  note?: string;
}

export function SuppressionsTab() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useSession();
  const [reason, setReason] = useState<SuppressionReason>();
  const [page, setPage] = useState(1);
  const [form] = Form.useForm<Values>();
  const add = useAddSuppression();
  const remove = useRemoveSuppression();
  const { data, isFetching, error } = useSuppressions({
    reason,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });

  const submit = async (values: Values) => {
    try {
      await add.mutateAsync({
        email: values.email.trim(),
        reason: values.reason,
        note: values.note || null,
      });
      message.success(t("suppression.added"));
      form.resetFields();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
        message.error(errorText(t, error));
    }
  };

  const columns: ColumnsType<Suppression> = [
    { title: t("consent.email"), dataIndex: "email" },
    {
      title: t("suppression.reason"),
      dataIndex: "reason",
      render: (v: string) => <Tag>{t(`suppressionReason.${v}`)}</Tag>,
    },
    { title: t("suppression.note"), dataIndex: "note", render: (v: string | null) => v ?? "—" },
    {
      title: t("suppression.since"),
      dataIndex: "created_at",
      render: (v: string) => format.dateTime(v),
    },
  ];
  if (can("campaigns:write"))
    columns.push({
      title: t("suppression.actions"),
      key: "actions",
      render: (_, s) => (
        <Popconfirm
          title={t("suppression.confirmRemove")}
          okText={t("actions.confirm", { ns: "common" })}
          cancelText={t("actions.cancel", { ns: "common" })}
          onConfirm={() =>
            remove.mutate(s.email, {
              onError: (error) => void message.error(errorText(t, error)),
            })
          }
        >
          <Button
            size="small"
            icon={<DeleteOutlined />}
            aria-label={t("suppression.remove", { email: s.email })}
          />
        </Popconfirm>
      ),
    });

  return (
    <Flex vertical gap={16}>
      <Can permission="campaigns:write">
        <Card size="small" title={t("suppression.add")}>
          <Form<Values>
            name="suppression"
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ reason: "manual" }}
          >
            <Flex gap={12} wrap align="end">
              <Form.Item
                name="email"
                label={t("consent.email")}
                rules={[{ required: true, message: t("suppression.emailRequired") }]}
                style={{ flex: 1, minWidth: 220 }}
              >
                <Input type="email" maxLength={320} />
              </Form.Item>
              <Form.Item name="reason" label={t("suppression.reason")}>
                <Select
                  style={{ minWidth: 140 }}
                  options={SUPPRESSION_REASONS.map((r) => ({
                    value: r,
                    label: t(`suppressionReason.${r}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="note"
                label={t("suppression.note")}
                style={{ flex: 1, minWidth: 200 }}
              >
                <Input maxLength={1000} />
              </Form.Item>
              <Form.Item>
                <Button type="primary" htmlType="submit" loading={add.isPending}>
                  {t("suppression.add")}
                </Button>
              </Form.Item>
            </Flex>
          </Form>
        </Card>
      </Can>
      <Select<SuppressionReason>
        allowClear
        aria-label={t("suppression.reason")}
        placeholder={t("suppression.anyReason")}
        style={{ minWidth: 160, alignSelf: "flex-start" }}
        value={reason}
        onChange={(value) => {
          setReason(value);
          setPage(1);
        }}
        options={SUPPRESSION_REASONS.map((r) => ({ value: r, label: t(`suppressionReason.${r}`) }))}
      />
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Suppression>
        rowKey="email"
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
    </Flex>
  );
}
