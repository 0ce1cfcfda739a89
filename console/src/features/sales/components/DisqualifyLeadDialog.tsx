/** Ruling a lead out (S-3), with an optional reason, under If-Match; a 412 shows the
 * newer version. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";

import { disqualifyLead, type Lead, leadKeys } from "../api/leads";

interface Values {
  disqualified_reason: string | null;
}

export function DisqualifyLeadDialog({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();

  const disqualify = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    try {
      const saved = await disqualifyLead(lead, values.disqualified_reason?.trim() || null);
      queryClient.setQueryData(leadKeys.one(saved.lead_id), saved);
      void queryClient.invalidateQueries({ queryKey: leadKeys.all });
      void message.success(t("lead.disqualified", { name: saved.name }));
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
      title={t("lead.disqualifyTitle", { name: lead.name })}
      okText={t("lead.disqualify")}
      okButtonProps={{ danger: true }}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void disqualify()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        name="disqualifyLead"
        layout="vertical"
        initialValues={{ disqualified_reason: null }}
      >
        <Form.Item name="disqualified_reason" label={t("leadFields.disqualified_reason")}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
