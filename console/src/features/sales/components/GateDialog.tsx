/**
 * Asks for what a stage gate needs (or why a deal was lost), saves it on the
 * opportunity with If-Match, and moves it again.
 */
import { DatePicker, Form, Input, InputNumber, Modal, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { showFieldErrors } from "@/lib/api/problem";
import { apiDate } from "@/lib/dates";

import type { Opportunity, OpportunityPatch } from "../api/opportunities";
import type { GateField } from "../lib/gates";

export interface GateValues {
  changes: OpportunityPatch;
  reason?: string;
}

interface Props {
  opportunity: Opportunity;
  stageName: string;
  missing: GateField[];
  onSubmit: (values: GateValues) => Promise<void>;
  onCancel: () => void;
}

type FormValues = Partial<Record<GateField, string | number | Dayjs | null>>;

function initialValues(opportunity: Opportunity, missing: GateField[]): FormValues {
  const values: FormValues = {};
  for (const field of missing) {
    if (field === "reason") continue;
    const current = opportunity[field];
    if (field === "expected_close") values[field] = current ? dayjs(String(current)) : null;
    else if (field === "amount") values[field] = Number(current) > 0 ? String(current) : null;
    else values[field] = current ?? null;
  }
  return values;
}

export function toGateValues(values: FormValues): GateValues {
  const changes: Record<string, string> = {};
  let reason: string | undefined;
  for (const [field, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === "") continue;
    if (field === "reason") reason = String(value);
    else if (dayjs.isDayjs(value)) changes[field] = apiDate(value);
    else changes[field] = String(value);
  }
  return { changes: changes as OpportunityPatch, reason };
}

export function GateDialog({ opportunity, stageName, missing, onSubmit, onCancel }: Props) {
  const { t } = useTranslation(["sales", "common"]);
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    form.setFieldsValue(initialValues(opportunity, missing));
  }, [form, opportunity, missing]);

  const submit = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    try {
      await onSubmit(toGateValues(values));
    } catch (error) {
      showFieldErrors(form, error);
    }
  };

  const required = [{ required: true, message: t("gate.required") }];
  return (
    <Modal
      open
      title={t("gate.title", { stage: stageName })}
      okText={t("gate.submit")}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t("gate.intro", { name: opportunity.name, stage: stageName })}
      </Typography.Paragraph>
      <Form form={form} name="stageGate" layout="vertical" preserve={false}>
        {missing.map((field) => (
          <Form.Item key={field} name={field} label={t(`fields.${field}`)} rules={required}>
            {field === "amount" ? (
              <InputNumber<string>
                stringMode
                min="0.01"
                step="1000"
                precision={2}
                style={{ width: "100%" }}
                addonAfter="CNY"
              />
            ) : field === "expected_close" ? (
              <DatePicker style={{ width: "100%" }} />
            ) : field === "needs" || field === "reason" ? (
              <Input.TextArea rows={3} maxLength={field === "reason" ? 500 : 4000} />
            ) : (
              <Input maxLength={200} />
            )}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
