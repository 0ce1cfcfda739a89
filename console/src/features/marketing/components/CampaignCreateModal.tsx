/** Plans a campaign: name, channels, budget, dates and goals; the audience and the
 * mail can be chosen now or later on the campaign's page. */
import { App, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Row, Col } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { showFieldErrors } from "@/lib/api/problem";

import { CHANNELS, type Channel, useCreateCampaign } from "../api/campaigns";
import { errorMessage } from "../lib/errors";
import { SegmentSelect, TemplateSelect } from "./PickSelects";

interface Values {
  name: string;
  description?: string;
  channels: Channel[];
  budget: number;
  cost?: number;
  starts_at?: Dayjs;
  ends_at?: Dayjs;
  goals?: {
    description?: string;
    target_participants?: number;
    target_conversions?: number;
    target_revenue?: number;
  };
  segment_id?: string;
  template_id?: string;
}

const money = (value: number | undefined | null) =>
  value === undefined || value === null ? null : value.toFixed(2);

export function CampaignCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(["marketing", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateCampaign();
  const navigate = useNavigate();

  const submit = async (values: Values) => {
    try {
      const campaign = await create.mutateAsync({
        name: values.name,
        description: values.description || null,
        channels: values.channels,
        budget: money(values.budget) ?? "0.00",
        cost: money(values.cost) ?? "0.00",
        currency: "CNY",
        starts_at: values.starts_at?.toISOString() ?? null,
        ends_at: values.ends_at?.toISOString() ?? null,
        goals: {
          description: values.goals?.description || null,
          target_participants: values.goals?.target_participants ?? null,
          target_conversions: values.goals?.target_conversions ?? null,
          target_revenue: money(values.goals?.target_revenue),
        },
        segment_id: values.segment_id ?? null,
        template_id: values.template_id ?? null,
      });
      form.resetFields();
      onClose();
      void navigate(`/marketing/campaigns/${campaign.id}`);
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
        message.error(errorMessage(error, t));
    }
  };

  return (
    <Modal
      open={open}
      title={t("campaigns.new")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={720}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ channels: ["email"], cost: 0 }}
      >
        <Form.Item
          name="name"
          label={t("campaign.name")}
          rules={[{ required: true, message: t("campaign.nameRequired") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t("campaign.description")}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Form.Item
          name="channels"
          label={t("campaign.channels")}
          rules={[{ required: true, message: t("campaign.channelsRequired") }]}
        >
          <Checkbox.Group options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="budget"
              label={t("campaign.budget")}
              rules={[{ required: true, message: t("campaign.budgetRequired") }]}
            >
              <InputNumber min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cost" label={t("campaign.cost")}>
              <InputNumber min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="starts_at" label={t("campaign.startsAt")}>
              <DatePicker showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ends_at" label={t("campaign.endsAt")}>
              <DatePicker showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name={["goals", "description"]} label={t("campaign.goalDescription")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item
              name={["goals", "target_participants"]}
              label={t("campaign.targetParticipants")}
            >
              <InputNumber min={0} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name={["goals", "target_conversions"]}
              label={t("campaign.targetConversions")}
            >
              <InputNumber min={0} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name={["goals", "target_revenue"]} label={t("campaign.targetRevenue")}>
              <InputNumber min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="segment_id" label={t("campaign.segment")}>
              <SegmentSelect />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="template_id" label={t("campaign.template")}>
              <TemplateSelect />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
