/** A new promotion: its kind and value, validity, limits and automatic SVIP coupons. */
import { App, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

import { errorText, showFieldErrors } from "@/lib/api/problem";

import { PROMOTION_KINDS, type PromotionKind, useCreatePromotion } from "../api/promotions";

interface Values {
  name: string;
  description?: string;
  kind: PromotionKind;
  value: number;
  valid_from: Dayjs;
  valid_until?: Dayjs;
  bundle_items?: string[];
  per_customer_limit: number;
  auto_issue_svip?: boolean;
}

export function PromotionCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(["marketing", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreatePromotion();
  const kind = Form.useWatch("kind", form);

  const submit = async (values: Values) => {
    try {
      await create.mutateAsync({
        name: values.name,
        description: values.description || null,
        kind: values.kind,
        value: values.value.toFixed(2),
        valid_from: values.valid_from.toISOString(),
        valid_until: values.valid_until?.toISOString() ?? null,
        bundle_items: values.kind === "bundle" ? (values.bundle_items ?? []) : [],
        per_customer_limit: values.per_customer_limit,
        auto_issue_on_tier: values.auto_issue_svip ? "svip" : null,
      });
      message.success(t("promotion.created"));
      form.resetFields();
      onClose();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
        message.error(errorText(t, error));
    }
  };

  return (
    <Modal
      open={open}
      title={t("promotions.new")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: "percentage_discount", per_customer_limit: 1, valid_from: dayjs() }}
      >
        <Form.Item
          name="name"
          label={t("promotion.name")}
          rules={[{ required: true, message: t("promotion.nameRequired") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t("promotion.description")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t("promotion.kind")}>
              <Select
                options={PROMOTION_KINDS.map((k) => ({ value: k, label: t(`promotionKind.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="value"
              label={t(`promotionValue.${kind ?? "percentage_discount"}`)}
              rules={[{ required: true, message: t("promotion.valueRequired") }]}
            >
              <InputNumber
                min={0.01}
                max={kind === "percentage_discount" ? 100 : undefined}
                precision={kind === "loyalty_points" ? 0 : 2}
                style={{ width: "100%" }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="valid_from"
              label={t("promotion.validFrom")}
              rules={[{ required: true, message: t("promotion.validFromRequired") }]}
            >
              <DatePicker showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="valid_until" label={t("promotion.validUntil")}>
              <DatePicker showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        {kind === "bundle" && (
          <Form.Item
            name="bundle_items"
            label={t("promotion.bundleItems")}
            extra={t("promotion.bundleHelp")}
          >
            <Select mode="tags" placeholder={t("rule.typeAndEnter")} />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="per_customer_limit" label={t("promotion.perCustomerLimit")}>
              <InputNumber min={1} max={1000} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="auto_issue_svip"
              valuePropName="checked"
              label={t("promotion.autoIssue")}
            >
              <Checkbox>{t("promotion.autoIssueSvip")}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
