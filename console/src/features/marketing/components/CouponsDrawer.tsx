/** A promotion's coupons (code, owner, redemptions) and issuing a new one. */
import { Alert, App, Button, Drawer, Flex, Form, Input, InputNumber, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText, showFieldErrors } from "@/lib/api/problem";
import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { type Coupon, type Promotion, useCoupons, useIssueCoupon } from "../api/promotions";

const PAGE_SIZE = 20;

interface Values {
  customer_id?: string;
  code?: string;
  max_redemptions: number;
}

export function CouponsDrawer({
  promotion,
  onClose,
}: {
  promotion: Promotion | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation(["marketing", "common"]);
  return (
    <Drawer
      open={!!promotion}
      onClose={onClose}
      title={promotion ? t("coupon.title", { name: promotion.name }) : ""}
      size="large"
      destroyOnHidden
    >
      {promotion && <Coupons promotion={promotion} />}
    </Drawer>
  );
}

function Coupons({ promotion }: { promotion: Promotion }) {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [form] = Form.useForm<Values>();
  const { data, isFetching, error } = useCoupons(promotion.id, {
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const issue = useIssueCoupon();

  const submit = async (values: Values) => {
    try {
      const coupon = await issue.mutateAsync({
        promotion_id: promotion.id,
        customer_id: values.customer_id || null,
        code: values.code || null,
        max_redemptions: values.max_redemptions,
      });
      message.success(t("coupon.issued", { code: coupon.code }));
      form.resetFields();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
        message.error(errorText(t, error));
    }
  };

  const columns: ColumnsType<Coupon> = [
    { title: t("coupon.code"), dataIndex: "code", render: (v: string) => <code>{v}</code> },
    {
      title: t("coupon.customer"),
      dataIndex: "customer_id",
      render: (v: string | null) => v ?? t("coupon.anyone"),
    },
    {
      title: t("coupon.redemptions"),
      key: "redemptions",
      render: (_, c) => `${format.number(c.redemptions)} / ${format.number(c.max_redemptions)}`,
    },
    {
      title: t("coupon.state"),
      key: "state",
      render: (_, c) =>
        c.revoked ? <Tag>{t("coupon.revoked")}</Tag> : <Tag>{t("coupon.valid")}</Tag>,
    },
    {
      title: t("coupon.issuedAt"),
      dataIndex: "issued_at",
      render: (v: string) => format.dateTime(v),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Can permission="campaigns:write">
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ max_redemptions: 1 }}
        >
          <Flex gap={12} wrap align="end">
            <Form.Item
              name="customer_id"
              label={t("coupon.customerId")}
              style={{ flex: 1, minWidth: 180 }}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="code"
              label={t("coupon.code")}
              extra={t("coupon.codeHelp")}
              style={{ flex: 1, minWidth: 160 }}
            >
              <Input maxLength={32} />
            </Form.Item>
            <Form.Item name="max_redemptions" label={t("coupon.maxRedemptions")}>
              <InputNumber min={1} max={1_000_000} precision={0} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={issue.isPending}>
                {t("coupon.issue")}
              </Button>
            </Form.Item>
          </Flex>
        </Form>
      </Can>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Coupon>
        rowKey="id"
        size="small"
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
