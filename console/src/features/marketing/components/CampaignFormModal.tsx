/** Plans a campaign (name, channels, budget, dates and goals; the audience and the mail
 * can be chosen now or later on its page), or changes the plan of one: before it runs
 * everything, afterwards only the cost so far and the description. */
import { App, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Row, Col } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import {
  type Campaign,
  CHANNELS,
  type Channel,
  useCreateCampaign,
  usePatchCampaign,
} from "../api/campaigns";
import { isEditable } from "../lib/lifecycle";
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

function valuesOf(campaign: Campaign): Values {
  const number = (value: string | null | undefined) =>
    value === null || value === undefined ? undefined : Number(value);
  return {
    name: campaign.name,
    description: campaign.description ?? undefined,
    channels: campaign.channels,
    budget: Number(campaign.budget),
    cost: Number(campaign.cost),
    starts_at: campaign.starts_at ? dayjs(campaign.starts_at) : undefined,
    ends_at: campaign.ends_at ? dayjs(campaign.ends_at) : undefined,
    goals: {
      description: campaign.goals.description ?? undefined,
      target_participants: campaign.goals.target_participants ?? undefined,
      target_conversions: campaign.goals.target_conversions ?? undefined,
      target_revenue: number(campaign.goals.target_revenue),
    },
  };
}

export function CampaignFormModal({
  open,
  onClose,
  campaign,
}: {
  open: boolean;
  onClose: () => void;
  campaign?: Campaign;
}) {
  const { t } = useTranslation(["marketing", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateCampaign();
  const patch = usePatchCampaign(campaign?.id ?? "");
  const client = useQueryClient();
  const navigate = useNavigate();
  const planOpen = !campaign || isEditable(campaign.status);

  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.status === 412) {
      void client.invalidateQueries({ queryKey: ["marketing", "campaigns", "one", campaign?.id] });
      message.error(errorText(t, error));
      onClose();
      return;
    }
    const unplaced = showFieldErrors(form, error);
    if (unplaced.length || !form.getFieldsError().some((field) => field.errors.length))
      message.error(errorText(t, error));
  };

  const update = async (current: Campaign, values: Values) => {
    const late = {
      description: values.description || null,
      cost: money(values.cost) ?? "0.00",
    };
    const body = planOpen
      ? {
          ...late,
          name: values.name,
          channels: values.channels,
          budget: money(values.budget) ?? "0.00",
          starts_at: values.starts_at?.toISOString() ?? null,
          ends_at: values.ends_at?.toISOString() ?? null,
          goals: {
            description: values.goals?.description || null,
            target_participants: values.goals?.target_participants ?? null,
            target_conversions: values.goals?.target_conversions ?? null,
            target_revenue: money(values.goals?.target_revenue),
          },
        }
      : late;
    try {
      await patch.mutateAsync({ version: current.version, body });
      message.success(t("campaign.saved"));
      onClose();
    } catch (error) {
      failed(error);
    }
  };

  const submit = async (values: Values) => {
    if (campaign) return update(campaign, values);
    try {
      const created = await create.mutateAsync({
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
      void navigate(`/marketing/campaigns/${created.id}`);
    } catch (error) {
      failed(error);
    }
  };

  return (
    <Modal
      open={open}
      title={campaign ? t("campaign.editPlan") : t("campaigns.new")}
      okText={t(campaign ? "actions.save" : "actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || patch.isPending}
      width={720}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={campaign ? valuesOf(campaign) : { channels: ["email"], cost: 0 }}
      >
        <Form.Item
          name="name"
          label={t("campaign.name")}
          rules={[{ required: true, message: t("campaign.nameRequired") }]}
        >
          <Input maxLength={200} disabled={!planOpen} />
        </Form.Item>
        <Form.Item name="description" label={t("campaign.description")}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Form.Item
          name="channels"
          label={t("campaign.channels")}
          rules={[{ required: true, message: t("campaign.channelsRequired") }]}
        >
          <Checkbox.Group
            disabled={!planOpen}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="budget"
              label={t("campaign.budget")}
              rules={[{ required: true, message: t("campaign.budgetRequired") }]}
            >
              <InputNumber disabled={!planOpen} min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="cost" label={t("campaign.cost")}>
              <InputNumber min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="starts_at" label={t("campaign.startsAt")}>
              <DatePicker disabled={!planOpen} showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ends_at" label={t("campaign.endsAt")}>
              <DatePicker disabled={!planOpen} showTime style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name={["goals", "description"]} label={t("campaign.goalDescription")}>
          <Input.TextArea disabled={!planOpen} rows={2} maxLength={2000} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item
              name={["goals", "target_participants"]}
              label={t("campaign.targetParticipants")}
            >
              <InputNumber disabled={!planOpen} min={0} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name={["goals", "target_conversions"]}
              label={t("campaign.targetConversions")}
            >
              <InputNumber disabled={!planOpen} min={0} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name={["goals", "target_revenue"]} label={t("campaign.targetRevenue")}>
              <InputNumber disabled={!planOpen} min={0} precision={2} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        {!campaign && (
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
        )}
      </Form>
    </Modal>
  );
}
