/** A new lead entered by hand (S-1); a rep keeps the leads they enter. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { createLead, type Lead, type LeadCreate, leadKeys } from "../api/leads";

const TEXT_FIELDS = ["company", "title", "industry", "company_size", "region", "product"] as const;

export function LeadForm({ onClose }: { onClose: (created?: Lead) => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<LeadCreate>();

  const save = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const body: LeadCreate = { name: values.name, source_channel: "manual", visits: 0 };
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && value !== null && value !== "") {
        (body as Record<string, unknown>)[key] = value;
      }
    }
    try {
      const created = await createLead(body);
      void queryClient.invalidateQueries({ queryKey: leadKeys.all });
      void message.success(t("leads.created", { name: created.name }));
      onClose(created);
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (!(error instanceof ApiError) || !error.problem.errors?.length || unplaced.length) {
        void message.error(errorText(t, error));
      }
    }
  };

  return (
    <Modal
      open
      title={t("leads.newTitle")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void save()}
      onCancel={() => onClose()}
      destroyOnHidden
    >
      <Form form={form} name="newLead" layout="vertical">
        <Form.Item
          name="name"
          label={t("leadFields.name")}
          rules={[{ required: true, whitespace: true, message: t("gate.required") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="email" label={t("leadFields.email")}>
          <Input type="email" maxLength={254} />
        </Form.Item>
        <Form.Item name="phone" label={t("leadFields.phone")} extra={t("leadFields.phoneHint")}>
          <Input maxLength={16} />
        </Form.Item>
        {TEXT_FIELDS.map((field) => (
          <Form.Item key={field} name={field} label={t(`leadFields.${field}`)}>
            <Input maxLength={200} />
          </Form.Item>
        ))}
        <Form.Item name="interest_level" label={t("leadFields.interest_level")}>
          <Select
            allowClear
            options={[1, 2, 3, 4, 5].map((level) => ({
              value: level,
              label: t(`interest.${level}`),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
