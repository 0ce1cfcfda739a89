/** Contacts (C-4): the people at the customer, one primary; add one in a dialog. */
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { Can, useSession } from "@/lib/auth/SessionProvider";

import {
  type Contact,
  type ContactCreate,
  useAddContact,
  useContacts,
  useRemoveContact,
} from "../api/contacts";

type Values = { name?: string; email?: string; phone?: string; title?: string; primary?: boolean };

function toBody(values: Values): ContactCreate {
  const body: ContactCreate = { name: values.name?.trim() ?? "", primary: Boolean(values.primary) };
  for (const field of ["email", "phone", "title"] as const) {
    const value = values[field]?.trim();
    if (value) body[field] = value;
  }
  return body;
}

export function ContactsCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const { can } = useSession();
  const { data, isLoading, error } = useContacts(customerId);
  const add = useAddContact(customerId);
  const remove = useRemoveContact(customerId);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  const submit = async (values: Values) => {
    try {
      await add.mutateAsync(toBody(values));
      setOpen(false);
      form.resetFields();
    } catch (problem) {
      showFieldErrors(form, problem);
      if (!(problem instanceof ApiError && problem.problem.errors?.length)) {
        void message.error(errorText(t, problem));
      }
    }
  };

  return (
    <>
      <Can permission="customers:write">
        <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} style={{ marginBottom: 12 }}>
          {t("contacts.add")}
        </Button>
      </Can>
      <Table<Contact>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data ?? []}
        scroll={{ x: true }}
        pagination={false}
        locale={{ emptyText: error ? errorText(t, error) : t("contacts.none") }}
        columns={[
          {
            key: "name",
            title: t("contacts.name"),
            render: (_, contact) => (
              <>
                {contact.name} {contact.primary && <Tag color="blue">{t("contacts.primary")}</Tag>}
              </>
            ),
          },
          { key: "title", dataIndex: "title", title: t("fields.title"), render: (v) => v ?? "—" },
          { key: "phone", dataIndex: "phone", title: t("fields.phone"), render: (v) => v ?? "—" },
          { key: "email", dataIndex: "email", title: t("fields.email"), render: (v) => v ?? "—" },
          ...(can("customers:write")
            ? [
                {
                  key: "actions",
                  title: t("contacts.actions"),
                  render: (_: unknown, contact: Contact) => (
                    <Popconfirm
                      title={t("contacts.removeConfirm", { name: contact.name })}
                      onConfirm={() =>
                        remove
                          .mutateAsync(contact.id)
                          .catch((e: unknown) => void message.error(errorText(t, e)))
                      }
                    >
                      <Button
                        size="small"
                        danger
                        type="link"
                        aria-label={t("contacts.remove", { name: contact.name })}
                      >
                        {t("actions.delete", { ns: "common" })}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={open}
        title={t("contacts.add")}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t("actions.save", { ns: "common" })}
        cancelText={t("actions.cancel", { ns: "common" })}
        confirmLoading={add.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          name="newContact"
          layout="vertical"
          onFinish={(values) => void submit(values)}
        >
          <Form.Item
            name="name"
            label={t("contacts.name")}
            rules={[{ required: true, whitespace: true, message: t("form.nameRequired") }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="title" label={t("fields.title")}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t("fields.phone")}>
            <Input type="tel" inputMode="tel" />
          </Form.Item>
          <Form.Item name="email" label={t("fields.email")}>
            <Input type="email" inputMode="email" />
          </Form.Item>
          <Form.Item name="primary" valuePropName="checked">
            <Checkbox>{t("contacts.makePrimary")}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
