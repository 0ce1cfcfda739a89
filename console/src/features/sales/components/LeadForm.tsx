/** A new lead entered by hand (S-1); a rep keeps the leads they enter. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Modal } from "antd";
import { useTranslation } from "react-i18next";

import { formProblem } from "@/lib/api/problem";

import { createLead, type Lead, type LeadCreate, leadKeys } from "../api/leads";
import { LeadFields } from "./LeadFields";

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
      const problem = formProblem(form, error, t);
      if (problem) void message.error(problem);
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
        <LeadFields />
      </Form>
    </Modal>
  );
}
