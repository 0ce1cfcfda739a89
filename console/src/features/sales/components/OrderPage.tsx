/** One order (S-8): its lines and totals, status flow, contract, deliveries and
 * invoices; a status move or a new invoice for a role that may write. */
import { ArrowLeftOutlined, DownOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Dropdown,
  Flex,
  Form,
  Grid,
  InputNumber,
  Modal,
  Skeleton,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { PersonName } from "@/components/PersonName";
import { errorText, formProblem } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import type { Invoice, Order } from "../api/documents";
import { useIssueInvoice, useOrder, useOrderStatus } from "../api/orders";
import { INVOICE_COLOR, ORDER_COLOR } from "../lib/colors";
import { type OrderStatus, nextOrderStatuses } from "../lib/documentFlow";
import { centsText, lineAmount, scaled } from "../lib/pricing";
import { CustomerLink } from "./CustomerLink";
import { InvoiceDue } from "./InvoiceDue";

type Line = Order["lines"][number];

function SectionTitle({ id, children }: { id: string; children: string }) {
  return (
    <h2 id={id} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </h2>
  );
}

interface InvoiceValues {
  amount?: string;
  due_date?: Dayjs;
}

function IssueInvoiceDialog({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<InvoiceValues>();
  const issue = useIssueInvoice(order.order_id);
  const [problem, setProblem] = useState<string | null>(null);
  const remaining = centsText(scaled(order.totals.total, 2) - scaled(order.invoiced, 2));

  const submit = async (values: InvoiceValues) => {
    setProblem(null);
    try {
      const invoice = await issue.mutateAsync({
        amount: values.amount?.trim() ? values.amount : null,
        due_date: (values.due_date ?? dayjs()).format("YYYY-MM-DD"),
      });
      void message.success(t("order.invoiceIssued", { number: invoice.invoice_number }));
      onClose();
    } catch (error) {
      setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Modal
      open
      title={t("order.issueTitle", { number: order.order_number })}
      okText={t("order.issue")}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={issue.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>
        {t("order.notInvoiced", { amount: format.money(remaining, order.currency) })}
      </Typography.Paragraph>
      <Form<InvoiceValues>
        form={form}
        layout="vertical"
        initialValues={{ amount: remaining, due_date: dayjs().add(30, "day") }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="amount" label={t("fields.amount")}>
          <InputNumber
            stringMode
            min="0.01"
            max={remaining}
            precision={2}
            style={{ width: "100%" }}
          />
        </Form.Item>
        <Form.Item
          name="due_date"
          label={t("orders.due")}
          rules={[{ required: true, message: t("gate.required") }]}
        >
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function OrderPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const query = useOrder(id);
  const status = useOrderStatus({ order_id: id, version: query.data?.version ?? 0 });
  const [invoicing, setInvoicing] = useState(false);

  if (query.isPending) return <Skeleton active />;
  if (query.error || !query.data) {
    return <Alert type="error" showIcon title={errorText(t, query.error)} />;
  }
  const order = query.data;
  const money = (amount: string) => format.money(amount, order.currency);
  const writable = can("sales:write");
  const moves = writable ? nextOrderStatuses(order) : [];
  const invoiceable =
    writable &&
    order.status !== "cancelled" &&
    scaled(order.invoiced, 2) < scaled(order.totals.total, 2);

  const move = (next: OrderStatus) =>
    status.mutate(next, {
      onSuccess: (moved) =>
        void message.success(t("order.moved", { status: t(`orderStatus.${moved.status}`) })),
      onError: (error) => {
        void message.error(errorText(t, error));
        void query.refetch();
      },
    });

  return (
    <Flex vertical gap={16}>
      <Link to="/sales/orders">
        <ArrowLeftOutlined /> {t("order.back")}
      </Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {t("order.heading", { number: order.order_number })}
          </Typography.Title>
          <Tag color={ORDER_COLOR[order.status]}>{t(`orderStatus.${order.status}`)}</Tag>
        </Flex>
        <Flex gap={8} wrap>
          {moves.length > 0 && (
            <Dropdown
              trigger={["click"]}
              disabled={status.isPending}
              menu={{
                items: moves.map((next) => ({ key: next, label: t(`orderMove.${next}`) })),
                onClick: ({ key }) => move(key as OrderStatus),
              }}
            >
              <Button loading={status.isPending}>
                {t("order.changeStatus")} <DownOutlined />
              </Button>
            </Dropdown>
          )}
          {invoiceable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setInvoicing(true)}>
              {t("order.issue")}
            </Button>
          )}
        </Flex>
      </Flex>
      <Card>
        <Descriptions
          size="small"
          column={phone ? 1 : 3}
          items={[
            {
              key: "customer",
              label: t("fields.customer"),
              children: <CustomerLink customerId={order.customer_id} name={order.customer_name} />,
            },
            {
              key: "owner",
              label: t("fields.owner"),
              children: <PersonName id={order.owner_id} />,
            },
            {
              key: "quote",
              label: t("quote.quote"),
              children: order.quote_id ? (
                <Link to={`/sales/quotes/${order.quote_id}`}>{t("order.openQuote")}</Link>
              ) : (
                "—"
              ),
            },
            { key: "total", label: t("quotes.total"), children: money(order.totals.total) },
            { key: "invoiced", label: t("order.invoiced"), children: money(order.invoiced) },
            { key: "paid", label: t("orders.paid"), children: money(order.paid) },
            { key: "receivable", label: t("orders.receivable"), children: money(order.receivable) },
            {
              key: "created",
              label: t("orders.created"),
              children: format.dateTime(order.created_at),
            },
            {
              key: "contract",
              label: t("order.contract"),
              children: order.contract
                ? t("order.contractSigned", {
                    number: order.contract.number,
                    date: format.date(order.contract.signed_at),
                  })
                : t("order.noContract"),
            },
          ]}
        />
      </Card>
      <section aria-labelledby="order-lines">
        <Card size="small" title={<SectionTitle id="order-lines">{t("quote.lines")}</SectionTitle>}>
          <Table<Line>
            rowKey={(_, index) => String(index)}
            dataSource={order.lines}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            columns={[
              { key: "product", title: t("quote.product"), dataIndex: "product" },
              {
                key: "quantity",
                title: t("quote.quantity"),
                align: "right",
                render: (_, line) => format.number(Number(line.quantity), 3),
              },
              {
                key: "unit_price",
                title: t("quote.unitPrice"),
                align: "right",
                render: (_, line) => money(line.unit_price),
              },
              {
                key: "discount",
                title: t("quote.lineDiscount"),
                align: "right",
                render: (_, line) => format.percent(Number(line.discount_percent) / 100, 2),
              },
              {
                key: "amount",
                title: t("quote.amount"),
                align: "right",
                render: (_, line) => money(lineAmount(line)),
              },
            ]}
          />
          <Descriptions
            size="small"
            column={phone ? 1 : 4}
            style={{ marginTop: 12 }}
            items={[
              {
                key: "subtotal",
                label: t("quote.subtotal"),
                children: money(order.totals.subtotal),
              },
              {
                key: "discount",
                label: t("quote.discountShort"),
                children: money(order.totals.discount),
              },
              { key: "tax", label: t("quote.taxShort"), children: money(order.totals.tax) },
              {
                key: "total",
                label: t("quotes.total"),
                children: <Typography.Text strong>{money(order.totals.total)}</Typography.Text>,
              },
            ]}
          />
        </Card>
      </section>
      <section aria-labelledby="order-invoices">
        <Card
          size="small"
          title={<SectionTitle id="order-invoices">{t("orders.invoices")}</SectionTitle>}
        >
          <Table<Invoice>
            rowKey="invoice_id"
            dataSource={order.invoices}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            locale={{ emptyText: t("order.noInvoices") }}
            columns={[
              {
                key: "number",
                title: t("orders.invoiceNumber"),
                render: (_, invoice) => (
                  <Link to={`/sales/invoices/${invoice.invoice_id}`}>{invoice.invoice_number}</Link>
                ),
              },
              {
                key: "status",
                title: t("leadFields.status"),
                render: (_, invoice) => (
                  <Tag color={INVOICE_COLOR[invoice.status]}>
                    {t(`invoiceStatus.${invoice.status}`)}
                  </Tag>
                ),
              },
              {
                key: "amount",
                title: t("fields.amount"),
                align: "right",
                render: (_, invoice) => money(invoice.amount),
              },
              {
                key: "balance",
                title: t("orders.balance"),
                align: "right",
                render: (_, invoice) => money(invoice.balance),
              },
              {
                key: "due",
                title: t("orders.due"),
                render: (_, invoice) => <InvoiceDue invoice={invoice} />,
              },
            ]}
          />
        </Card>
      </section>
      <Flex gap={16} vertical={phone} align="start">
        <section aria-labelledby="order-history" style={{ flex: 1, width: "100%" }}>
          <Card
            size="small"
            title={<SectionTitle id="order-history">{t("order.history")}</SectionTitle>}
          >
            <Timeline
              items={[...order.status_history].reverse().map((change) => ({
                key: `${change.status}-${change.changed_at}`,
                content: (
                  <Flex vertical>
                    <Typography.Text>{t(`orderStatus.${change.status}`)}</Typography.Text>
                    <Typography.Text type="secondary">
                      <time dateTime={change.changed_at}>{format.dateTime(change.changed_at)}</time>
                      {" · "}
                      <PersonName id={change.changed_by} />
                    </Typography.Text>
                  </Flex>
                ),
              }))}
            />
          </Card>
        </section>
        <section aria-labelledby="order-deliveries" style={{ flex: 1, width: "100%" }}>
          <Card
            size="small"
            title={<SectionTitle id="order-deliveries">{t("order.deliveries")}</SectionTitle>}
          >
            {order.deliveries.length === 0 ? (
              <Typography.Text type="secondary">{t("order.noDeliveries")}</Typography.Text>
            ) : (
              <Flex vertical gap={8}>
                {order.deliveries.map((delivery) => (
                  <Typography.Text key={delivery.delivery_id}>
                    {t("order.delivery", {
                      carrier: delivery.carrier ?? "—",
                      tracking: delivery.tracking_number ?? "—",
                      shipped: format.date(delivery.shipped_at),
                    })}
                    {delivery.delivered_at &&
                      ` · ${t("order.deliveredOn", { date: format.date(delivery.delivered_at) })}`}
                  </Typography.Text>
                ))}
              </Flex>
            )}
          </Card>
        </section>
      </Flex>
      {invoicing && <IssueInvoiceDialog order={order} onClose={() => setInvoicing(false)} />}
    </Flex>
  );
}
