/** Integration clients: register a system, rotate its secret, switch it off, remove it. */
import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import {
  type Client,
  type ClientCreate,
  useClients,
  useCreateClient,
  useDeleteClient,
  useRotateSecret,
  useSetClientActive,
} from "../api/clients";
import { PERMISSIONS, ROLES, type Role } from "../lib/access";
import { QueryError } from "./QueryError";
import { SecretNotice } from "./SecretNotice";

function ClientForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (secret: string) => void;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const [form] = Form.useForm<ClientCreate>();
  const create = useCreateClient();
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (values: ClientCreate) => {
    setProblem(null);
    try {
      const created = await create.mutateAsync({
        ...values,
        team: values.team?.trim() || null,
        active: true,
      });
      onCreated(created.client_secret);
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (!(error instanceof ApiError) || !error.problem.errors?.length || unplaced.length)
        setProblem(
          unplaced.length ? unplaced.map((item) => item.reason).join(" ") : errorText(t, error),
        );
    }
  };
  return (
    <Modal
      open
      title={t("clients.new")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="client"
        initialValues={{ roles: ["integration"], scopes: [] }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="name"
          label={t("clients.name")}
          rules={[{ required: true, message: t("clients.nameRequired") }]}
        >
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t("clients.roles")}
          rules={[{ required: true, type: "array", min: 1, message: t("users.rolesRequired") }]}
        >
          <Checkbox.Group
            options={ROLES.map((role) => ({
              value: role,
              label: t(`roles.${role}`, { ns: "common" }),
            }))}
          />
        </Form.Item>
        <Form.Item name="scopes" label={t("clients.scopes")} extra={t("clients.scopesHelp")}>
          <Select
            mode="multiple"
            allowClear
            options={PERMISSIONS.map((scope) => ({ value: scope, label: scope }))}
          />
        </Form.Item>
        <Form.Item name="team" label={t("users.team")}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ClientsPage() {
  const { t } = useTranslation(["settings", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const clients = useClients();
  const setActive = useSetClientActive();
  const rotate = useRotateSecret();
  const remove = useDeleteClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const failed = (error: unknown) => message.error(errorText(t, error));

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t("clients.title")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t("clients.new")}
        </Button>
      </Flex>
      {clients.error && <QueryError error={clients.error} onRetry={() => void clients.refetch()} />}
      <Table<Client>
        rowKey="client_id"
        loading={clients.isPending && !clients.error}
        dataSource={clients.data?.items ?? []}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: t("clients.name"), dataIndex: "name" },
          {
            title: t("clients.clientId"),
            dataIndex: "client_id",
            render: (id: string) => (
              <Typography.Text copyable code>
                {id}
              </Typography.Text>
            ),
          },
          {
            title: t("clients.roles"),
            dataIndex: "roles",
            render: (roles: Role[]) =>
              roles.map((role) => <Tag key={role}>{t(`roles.${role}`, { ns: "common" })}</Tag>),
          },
          {
            title: t("clients.scopes"),
            dataIndex: "scopes",
            render: (scopes: string[]) =>
              scopes.length ? scopes.join(", ") : t("clients.allScopes"),
          },
          {
            title: t("users.team"),
            dataIndex: "team",
            render: (team: string | null) => team ?? "—",
          },
          {
            title: t("users.status"),
            dataIndex: "active",
            render: (active: boolean) =>
              active ? (
                <Tag color="#1b5e20">{t("users.active")}</Tag>
              ) : (
                <Tag>{t("users.inactive")}</Tag>
              ),
          },
          {
            title: t("users.created"),
            dataIndex: "created_at",
            render: (value: string) => format.date(value),
          },
          {
            title: t("users.actions"),
            key: "actions",
            render: (_, record) => (
              <Space wrap>
                <Button
                  size="small"
                  onClick={() =>
                    setActive.mutate({ record, active: !record.active }, { onError: failed })
                  }
                >
                  {record.active ? t("users.deactivate") : t("users.activate")}
                </Button>
                <Popconfirm
                  title={t("clients.confirmRotate", { name: record.name })}
                  okText={t("clients.rotate")}
                  cancelText={t("actions.cancel", { ns: "common" })}
                  onConfirm={() =>
                    rotate.mutate(record, {
                      onSuccess: (created) => setSecret(created.client_secret),
                      onError: failed,
                    })
                  }
                >
                  <Button size="small">{t("clients.rotate")}</Button>
                </Popconfirm>
                <Popconfirm
                  title={t("clients.confirmDelete", { name: record.name })}
                  okText={t("actions.delete", { ns: "common" })}
                  cancelText={t("actions.cancel", { ns: "common" })}
                  onConfirm={() => remove.mutate(record, { onError: failed })}
                >
                  <Button size="small" danger>
                    {t("actions.delete", { ns: "common" })}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <ClientForm
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false);
            setSecret(value);
          }}
        />
      )}
      <SecretNotice
        title={t("clients.secretTitle")}
        label={t("clients.secret")}
        secret={secret}
        onClose={() => setSecret(null)}
      />
    </Flex>
  );
}
