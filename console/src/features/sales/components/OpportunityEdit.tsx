/** Editing an opportunity's details with If-Match; a 412 shows the newer version. */
import { useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, InputNumber, Modal } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";
import { apiDate } from "@/lib/dates";

import {
  type Opportunity,
  type OpportunityPatch,
  opportunityKeys,
  updateOpportunity,
} from "../api/opportunities";

const TEXT_FIELDS = [
  "product",
  "decision_maker",
  "contact_id",
  "quote_id",
  "contract_number",
] as const;

interface Values {
  name: string;
  amount: string | null;
  expected_close: Dayjs | null;
  needs: string | null;
  product: string | null;
  decision_maker: string | null;
  contact_id: string | null;
  quote_id: string | null;
  contract_number: string | null;
}

export function OpportunityEdit({
  opportunity,
  onClose,
}: {
  opportunity: Opportunity;
  onClose: () => void;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();

  const save = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const changes: OpportunityPatch = {
      name: values.name,
      amount: values.amount ?? undefined,
      expected_close: apiDate(values.expected_close),
      needs: values.needs || null,
    };
    for (const field of TEXT_FIELDS) changes[field] = values[field] || null;
    try {
      const saved = await updateOpportunity(opportunity, changes);
      queryClient.setQueryData(opportunityKeys.one(saved.opportunity_id), saved);
      void queryClient.invalidateQueries({ queryKey: opportunityKeys.all });
      void message.success(t("opportunity.saved"));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void message.warning(t("errors.conflict", { ns: "common" }));
        void queryClient.invalidateQueries({ queryKey: opportunityKeys.all });
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
      title={t("opportunity.editTitle")}
      okText={t("actions.save", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        name="editOpportunity"
        layout="vertical"
        initialValues={{
          name: opportunity.name,
          amount: opportunity.amount,
          expected_close: opportunity.expected_close ? dayjs(opportunity.expected_close) : null,
          needs: opportunity.needs,
          product: opportunity.product,
          decision_maker: opportunity.decision_maker,
          contact_id: opportunity.contact_id,
          quote_id: opportunity.quote_id,
          contract_number: opportunity.contract_number,
        }}
      >
        <Form.Item
          name="name"
          label={t("fields.name")}
          rules={[{ required: true, message: t("gate.required") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="amount" label={t("fields.amount")}>
          <InputNumber<string>
            stringMode
            min="0"
            precision={2}
            style={{ width: "100%" }}
            addonAfter={opportunity.currency}
          />
        </Form.Item>
        <Form.Item name="expected_close" label={t("fields.expected_close")}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="needs" label={t("fields.needs")}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {TEXT_FIELDS.map((field) => (
          <Form.Item key={field} name={field} label={t(`fields.${field}`)}>
            <Input maxLength={200} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
