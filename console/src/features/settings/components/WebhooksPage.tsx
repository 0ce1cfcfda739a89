/** Outbound webhooks: subscribe a URL to event types, pause or resume it, and read the
 * log of its deliveries, retrying a failed one once the receiver is fixed. */
import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Drawer,
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
  type Delivery,
  type DeliveryStatus,
  type Subscription,
  type SubscriptionCreate,
  useCreateSubscription,
  useDeleteSubscription,
  useDeliveries,
  useRetryDelivery,
  useSetSubscriptionActive,
  useSubscriptions,
} from "../api/webhooks";
import { QueryError } from "./QueryError";
import { SecretNotice } from "./SecretNotice";

const STATUS_COLOR: Record<DeliveryStatus, string> = {
  pending: "blue",
  in_progress: "blue",
  delivered: "#1b5e20",
  failed: "red",
};

function SubscriptionForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (secret: string) => void;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const [form] = Form.useForm<SubscriptionCreate>();
  const create = useCreateSubscription();
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (values: SubscriptionCreate) => {
    setProblem(null);
    try {
      const created = await create.mutateAsync({
        ...values,
        client_id: values.client_id?.trim() || null,
      });
      onCreated(created.secret);
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
      title={t("webhooks.new")}
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
        name="subscription"
        initialValues={{ event_types: [], description: "" }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="url"
          label={t("webhooks.url")}
          rules={[{ required: true, message: t("webhooks.urlRequired") }]}
        >
          <Input type="url" placeholder="https://" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="event_types"
          label={t("webhooks.eventTypes")}
          extra={t("webhooks.eventTypesHelp")}
          rules={[
            { required: true, type: "array", min: 1, message: t("webhooks.eventTypesRequired") },
          ]}
        >
          <Select mode="tags" tokenSeparators={[",", " "]} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="description" label={t("webhooks.description")}>
          <Input maxLength={500} autoComplete="off" />
        </Form.Item>
        <Form.Item name="client_id" label={t("webhooks.client")}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeliveriesDrawer({
  subscription,
  onClose,
}: {
  subscription: Subscription | null;
  onClose: () => void;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const [page, setPage] = useState(1);
  const deliveries = useDeliveries(subscription?.id ?? null, status, (page - 1) * 20);
  const retry = useRetryDelivery();
  return (
    <Drawer
      open={subscription !== null}
      onClose={onClose}
      size="large"
      title={t("webhooks.deliveriesOf", { url: subscription?.url ?? "" })}
      destroyOnHidden
    >
      <Form layout="inline" style={{ marginBottom: 12 }}>
        <Form.Item label={t("webhooks.status")} htmlFor="delivery-status">
          <Select
            id="delivery-status"
            allowClear
            style={{ width: 160 }}
            value={status}
            onChange={(value?: DeliveryStatus) => {
              setStatus(value);
              setPage(1);
            }}
            options={(Object.keys(STATUS_COLOR) as DeliveryStatus[]).map((value) => ({
              value,
              label: t(`webhooks.deliveryStatus.${value}`),
            }))}
          />
        </Form.Item>
      </Form>
      {deliveries.error && (
        <QueryError error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      )}
      <Table<Delivery>
        size="small"
        rowKey="id"
        loading={deliveries.isPending && !deliveries.error}
        dataSource={deliveries.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: 20,
          total: deliveries.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
        }}
        expandable={{
          expandedRowRender: (delivery) => (
            <Table
              size="small"
              rowKey="at"
              pagination={false}
              dataSource={delivery.attempts}
              columns={[
                {
                  title: t("webhooks.attemptAt"),
                  dataIndex: "at",
                  render: (value: string) => format.dateTime(value),
                },
                {
                  title: t("webhooks.answer"),
                  dataIndex: "status_code",
                  render: (code: number | null) => code ?? "—",
                },
                {
                  title: t("webhooks.duration"),
                  dataIndex: "duration_ms",
                  render: (ms: number) => format.number(ms),
                },
                {
                  title: t("webhooks.error"),
                  dataIndex: "error",
                  render: (error: string | null) => error ?? "—",
                },
              ]}
            />
          ),
        }}
        columns={[
          { title: t("webhooks.event"), dataIndex: "event_type" },
          {
            title: t("webhooks.status"),
            dataIndex: "status",
            render: (value: DeliveryStatus) => (
              <Tag color={STATUS_COLOR[value]}>{t(`webhooks.deliveryStatus.${value}`)}</Tag>
            ),
          },
          {
            title: t("webhooks.attempts"),
            key: "attempts",
            render: (_, row) => row.attempts.length,
          },
          {
            title: t("webhooks.createdAt"),
            dataIndex: "created_at",
            render: (value: string) => format.dateTime(value),
          },
          {
            title: t("users.actions"),
            key: "actions",
            render: (_, row) =>
              row.status === "failed" ? (
                <Button
                  size="small"
                  loading={retry.isPending && retry.variables?.id === row.id}
                  onClick={() =>
                    retry.mutate(row, {
                      onSuccess: () => message.success(t("webhooks.retried")),
                      onError: (error) => message.error(errorText(t, error)),
                    })
                  }
                >
                  {t("webhooks.retry")}
                </Button>
              ) : null,
          },
        ]}
      />
    </Drawer>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation(["settings", "common"]);
  const { message } = App.useApp();
  const subscriptions = useSubscriptions();
  const setActive = useSetSubscriptionActive();
  const remove = useDeleteSubscription();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [viewing, setViewing] = useState<Subscription | null>(null);
  const failed = (error: unknown) => message.error(errorText(t, error));

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t("webhooks.title")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t("webhooks.new")}
        </Button>
      </Flex>
      {subscriptions.error && (
        <QueryError error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      )}
      <Table<Subscription>
        rowKey="id"
        loading={subscriptions.isPending && !subscriptions.error}
        dataSource={subscriptions.data?.items ?? []}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          {
            title: t("webhooks.url"),
            dataIndex: "url",
            render: (url: string) => <Typography.Text code>{url}</Typography.Text>,
          },
          {
            title: t("webhooks.eventTypes"),
            dataIndex: "event_types",
            render: (types: string[]) => types.map((type) => <Tag key={type}>{type}</Tag>),
          },
          { title: t("webhooks.description"), dataIndex: "description" },
          {
            title: t("users.status"),
            key: "status",
            render: (_, row) =>
              row.active ? (
                <Tag color="#1b5e20">{t("users.active")}</Tag>
              ) : (
                <Tag color="red" title={row.disabled_reason ?? undefined}>
                  {row.disabled_reason ? t("webhooks.disabled") : t("users.inactive")}
                </Tag>
              ),
          },
          { title: t("webhooks.failures"), dataIndex: "consecutive_failures", align: "right" },
          {
            title: t("users.actions"),
            key: "actions",
            render: (_, record) => (
              <Space wrap>
                <Button size="small" onClick={() => setViewing(record)}>
                  {t("webhooks.deliveries")}
                </Button>
                <Button
                  size="small"
                  onClick={() =>
                    setActive.mutate({ record, active: !record.active }, { onError: failed })
                  }
                >
                  {record.active ? t("webhooks.pause") : t("webhooks.resume")}
                </Button>
                <Popconfirm
                  title={t("webhooks.confirmDelete", { url: record.url })}
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
        <SubscriptionForm
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false);
            setSecret(value);
          }}
        />
      )}
      <SecretNotice
        title={t("webhooks.secretTitle")}
        label={t("webhooks.secret")}
        secret={secret}
        onClose={() => setSecret(null)}
      />
      <DeliveriesDrawer subscription={viewing} onClose={() => setViewing(null)} />
    </Flex>
  );
}
