/** Editing a lead's details with If-Match; a 412 shows the newer version, and what the
 * service refuses is said beside its field. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Modal } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";

import { type Lead, leadKeys, type LeadPatch, updateLead } from "../api/leads";
import { LEAD_TEXT_FIELDS, LeadFields } from "./LeadFields";

interface Values {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  industry: string | null;
  company_size: string | null;
  region: string | null;
  product: string | null;
  interest_level: number | null;
}

export function LeadEdit({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();

  const save = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const changes: LeadPatch = {
      name: values.name.trim(),
      email: values.email?.trim() || null,
      phone: values.phone?.trim() || null,
      interest_level: values.interest_level ?? null,
    };
    for (const field of LEAD_TEXT_FIELDS) changes[field] = values[field]?.trim() || null;
    try {
      const saved = await updateLead(lead, changes);
      queryClient.setQueryData(leadKeys.one(saved.lead_id), saved);
      void queryClient.invalidateQueries({ queryKey: leadKeys.all });
      void message.success(t("lead.saved", { name: saved.name }));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void message.warning(t("errors.conflict", { ns: "common" }));
        void queryClient.invalidateQueries({ queryKey: leadKeys.all });
        onClose();
        return;
      }
      const problem = formProblem(form, error, t);
      if (problem) void message.error(problem);
    }
  };

  return (
    <Modal
      open
      title={t("lead.editTitle")}
      okText={t("actions.save", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        name="editLead"
        layout="vertical"
        initialValues={{
          name: lead.name,
          email: lead.email,
          phone: lead.phone,
          company: lead.company,
          title: lead.title,
          industry: lead.industry,
          company_size: lead.company_size,
          region: lead.region,
          product: lead.product,
          interest_level: lead.interest_level,
        }}
      >
        <LeadFields />
      </Form>
    </Modal>
  );
}
