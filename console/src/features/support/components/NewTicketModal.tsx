import { Alert, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import type { Schemas } from "@/lib/api/client";
import { useDebounced } from "@/lib/useDebounced";

import { useCustomerSearch } from "../api/customers";
import { type TicketCreate, useCreateTicket } from "../api/tickets";
import { usePlaceErrors } from "../lib/hooks";
import { CHANNELS, PRIORITIES, TYPES } from "../lib/queue";

interface Values {
  customer_id?: string;
  requester_name?: string;
  requester_email?: string;
  type?: Schemas["TicketType"];
  priority: Schemas["Priority"];
  channel: Schemas["SupportChannel"];
  subject: string;
  description: string;
}

/** A ticket an agent takes in (a call, a chat): customer, type, priority, subject and
 * description; without a type the service classifies it from the text. */
export function NewTicketModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(["support", "common"]);
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const create = useCreateTicket();
  const placeErrors = usePlaceErrors();
  const [typed, setTyped] = useState("");
  const search = useDebounced(typed.trim(), 300);
  const [problem, setProblem] = useState<string | null>(null);
  const customers = useCustomerSearch(search, open);

  const submit = async (values: Values) => {
    setProblem(null);
    const body: TicketCreate = {
      subject: values.subject,
      description: values.description,
      type: values.type ?? null,
      priority: values.priority,
      channel: values.channel,
      customer_id: values.customer_id ?? null,
      requester_name: values.requester_name?.trim() || null,
      requester_email: values.requester_email?.trim() || null,
    };
    try {
      const ticket = await create.mutateAsync(body);
      form.resetFields();
      onClose();
      void navigate(ticket.id);
    } catch (error) {
      setProblem(placeErrors(form, error));
    }
  };

  return (
    <Modal
      open={open}
      title={t("newTicket.title")}
      okText={t("newTicket.submit")}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      forceRender
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        name="newTicket"
        layout="vertical"
        initialValues={{ priority: "normal", channel: "phone" }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="customer_id" label={t("newTicket.customer")}>
          <Select
            showSearch={{ filterOption: false, onSearch: setTyped }}
            allowClear
            placeholder={t("newTicket.customerPlaceholder")}
            loading={customers.isFetching}
            notFoundContent={t("newTicket.noCustomer")}
            options={customers.data?.items.map((customer) => ({
              value: customer.id,
              label: `${customer.name} (${customer.member_id})`,
            }))}
            onChange={(id: string | undefined) => {
              const chosen = customers.data?.items.find((customer) => customer.id === id);
              if (chosen && !form.getFieldValue("requester_name")) {
                form.setFieldsValue({ requester_name: chosen.name });
              }
            }}
          />
        </Form.Item>
        <Form.Item name="requester_name" label={t("newTicket.requesterName")}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="requester_email"
          label={t("newTicket.requesterEmail")}
          rules={[{ type: "email", message: t("newTicket.emailInvalid") }]}
        >
          <Input type="email" maxLength={254} />
        </Form.Item>
        <Form.Item name="type" label={t("newTicket.type")} extra={t("newTicket.typeHelp")}>
          <Select
            allowClear
            options={TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))}
          />
        </Form.Item>
        <Form.Item name="priority" label={t("newTicket.priority")} rules={[{ required: true }]}>
          <Select
            options={PRIORITIES.map((priority) => ({
              value: priority,
              label: t(`priority.${priority}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="channel" label={t("newTicket.channel")} rules={[{ required: true }]}>
          <Select
            options={CHANNELS.map((channel) => ({
              value: channel,
              label: t(`channel.${channel}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="subject"
          label={t("newTicket.subject")}
          rules={[{ required: true, whitespace: true, message: t("newTicket.subjectRequired") }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t("newTicket.description")}
          rules={[
            { required: true, whitespace: true, message: t("newTicket.descriptionRequired") },
          ]}
        >
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
