/** One-step conversion (S-4): the lead becomes a customer, a contact and an
 * opportunity; an open lead is marked qualified first. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Result, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { ApiError, formProblem } from "@/lib/api/problem";
import { apiDate } from "@/lib/dates";

import { convertLead, type Lead, leadKeys, qualifyLead } from "../api/leads";
import { opportunityKeys } from "../api/opportunities";

interface Values {
  opportunity_name: string;
  amount: string | null;
  expected_close: Dayjs | null;
}

export function ConvertLeadDialog({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [opportunityId, setOpportunityId] = useState<string>();

  const convert = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      const qualified = await qualifyLead(lead);
      const converted = await convertLead(qualified, {
        opportunity_name: values.opportunity_name,
        amount: values.amount ?? "0",
        currency: "CNY",
        pipeline_id: "default",
        expected_close: apiDate(values.expected_close),
      });
      setOpportunityId(converted.opportunity_id);
      void queryClient.invalidateQueries({ queryKey: leadKeys.all });
      void queryClient.invalidateQueries({ queryKey: opportunityKeys.all });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void message.warning(t("errors.conflict", { ns: "common" }));
        void queryClient.invalidateQueries({ queryKey: leadKeys.all });
        onClose();
        return;
      }
      const problem = formProblem(form, error, t);
      if (problem) void message.error(problem);
    } finally {
      setBusy(false);
    }
  };

  if (opportunityId) {
    return (
      <Modal open title={t("convert.title")} footer={null} onCancel={onClose} destroyOnHidden>
        <Result
          status="success"
          title={t("convert.done", { name: lead.name })}
          extra={[
            <Button
              key="open"
              type="primary"
              onClick={() => void navigate(`/sales/opportunities/${opportunityId}`)}
            >
              {t("convert.open")}
            </Button>,
            <Button key="close" onClick={onClose}>
              {t("actions.close", { ns: "common" })}
            </Button>,
          ]}
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t("convert.title")}
      okText={t("convert.submit")}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={busy}
      onOk={() => void convert()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>{t("convert.intro", { name: lead.name })}</Typography.Paragraph>
      <Form
        form={form}
        name="convertLead"
        layout="vertical"
        initialValues={{ opportunity_name: lead.company || lead.name, amount: null }}
      >
        <Form.Item
          name="opportunity_name"
          label={t("convert.opportunityName")}
          rules={[{ required: true, whitespace: true, message: t("gate.required") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="amount" label={t("fields.amount")}>
          <InputNumber<string>
            stringMode
            min="0"
            precision={2}
            style={{ width: "100%" }}
            addonAfter="CNY"
          />
        </Form.Item>
        <Form.Item name="expected_close" label={t("fields.expected_close")}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
