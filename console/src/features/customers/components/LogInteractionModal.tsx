/** Log a touch from the 360 (C-5): the rep's "log a visit" on the road, or a call. */
import { App, DatePicker, Form, Input, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { type Channel, type InteractionStatus, useRecordInteraction } from "../api/timeline";

export const LOGGABLE: Channel[] = ["visit", "call", "meeting", "email", "chat", "sms"];
const STATUSES: InteractionStatus[] = ["pending", "replied", "to_handle"];

type Values = {
  channel: Channel;
  occurred_at: Dayjs;
  summary: string;
  content?: string;
  status: InteractionStatus;
};

export function LogInteractionModal({
  customerId,
  channel,
  onClose,
}: {
  customerId: string;
  channel: Channel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const record = useRecordInteraction(customerId);

  useEffect(() => {
    if (channel) {
      form.setFieldsValue({
        channel,
        occurred_at: dayjs(),
        status: "pending",
        summary: "",
        content: "",
      });
    }
  }, [channel, form]);

  const submit = async (values: Values) => {
    try {
      await record.mutateAsync({
        channel: values.channel,
        occurred_at: values.occurred_at.toISOString(),
        summary: values.summary.trim(),
        content: values.content?.trim() || null,
        status: values.status,
      });
      void message.success(t("timeline.logged"));
      onClose();
    } catch (error) {
      showFieldErrors(form, error);
      if (!(error instanceof ApiError && error.problem.errors?.length)) {
        void message.error(errorText(t, error));
      }
    }
  };

  return (
    <Modal
      open={channel !== null}
      title={t("timeline.logTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("actions.save", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={record.isPending}
      forceRender
    >
      <Form
        form={form}
        name="logInteraction"
        layout="vertical"
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="channel" label={t("timeline.channel")} rules={[{ required: true }]}>
          <Select options={LOGGABLE.map((value) => ({ value, label: t(`channel.${value}`) }))} />
        </Form.Item>
        <Form.Item name="occurred_at" label={t("timeline.when")} rules={[{ required: true }]}>
          <DatePicker showTime style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t("timeline.summary")}
          rules={[{ required: true, whitespace: true, message: t("timeline.summaryRequired") }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="content" label={t("timeline.content")}>
          <Input.TextArea rows={4} maxLength={10000} />
        </Form.Item>
        <Form.Item name="status" label={t("timeline.status")}>
          <Select options={STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
