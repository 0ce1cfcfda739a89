/** One invoice (S-8): amount, what was paid and what is open, each payment; a role
 * that may write records a payment against the open balance. */
import { ArrowLeftOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Select,
  Skeleton,
  Table,
  Tag,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { errorText, formProblem } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { useCustomerName } from "../api/customers";
import type { Invoice } from "../api/documents";
import { useInvoice, useRecordPayment } from "../api/orders";
import { PAYMENT_METHODS } from "../lib/documentFlow";
import { InvoiceDue } from "./InvoiceDue";
import { INVOICE_COLOR } from "../lib/colors";

type Payment = Invoice["payments"][number];

interface PaymentValues {
  amount?: string;
  method: string;
  paid_at?: Dayjs;
  reference?: string;
}

function RecordPaymentDialog({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<PaymentValues>();
  const record = useRecordPayment(invoice);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (values: PaymentValues) => {
    setProblem(null);
    try {
      const payment = await record.mutateAsync({
        amount: values.amount ?? "",
        method: values.method,
        paid_at: (values.paid_at ?? dayjs()).toISOString(),
        reference: values.reference?.trim() || null,
      });
      void message.success(
        t("invoice.paymentRecorded", { amount: format.money(payment.amount, payment.currency) }),
      );
      onClose();
    } catch (error) {
      setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Modal
      open
      title={t("invoice.recordTitle", { number: invoice.invoice_number })}
      okText={t("invoice.record")}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={record.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>
        {t("invoice.openBalance", { amount: format.money(invoice.balance, invoice.currency) })}
      </Typography.Paragraph>
      <Form<PaymentValues>
        form={form}
        layout="vertical"
        initialValues={{ amount: invoice.balance, method: "bank_transfer", paid_at: dayjs() }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="amount"
          label={t("fields.amount")}
          rules={[{ required: true, message: t("gate.required") }]}
        >
          <InputNumber stringMode min="0.01" precision={2} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="method" label={t("orders.method")}>
          <Select
            options={PAYMENT_METHODS.map((method) => ({
              value: method,
              label: t(`paymentMethod.${method}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="paid_at" label={t("orders.paidAt")}>
          <DatePicker showTime style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="reference" label={t("invoice.reference")}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function InvoicePage() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const query = useInvoice(id);
  const customerName = useCustomerName(query.data?.customer_id);
  const [paying, setPaying] = useState(false);

  if (query.isPending) return <Skeleton active />;
  if (query.error || !query.data) {
    return <Alert type="error" showIcon title={errorText(t, query.error)} />;
  }
  const invoice = query.data;
  const money = (amount: string) => format.money(amount, invoice.currency);

  return (
    <Flex vertical gap={16}>
      <Link to={`/sales/orders/${invoice.order_id}`}>
        <ArrowLeftOutlined /> {t("invoice.back", { number: invoice.order_number })}
      </Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {t("invoice.heading", { number: invoice.invoice_number })}
          </Typography.Title>
          <Tag color={INVOICE_COLOR[invoice.status]}>{t(`invoiceStatus.${invoice.status}`)}</Tag>
        </Flex>
        {can("sales:write") && invoice.status !== "paid" && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPaying(true)}>
            {t("invoice.record")}
          </Button>
        )}
      </Flex>
      <Card>
        <Descriptions
          size="small"
          column={phone ? 1 : 3}
          items={[
            {
              key: "customer",
              label: t("fields.customer"),
              children: (
                <Link to={`/customers/${invoice.customer_id}`}>
                  {customerName ?? invoice.customer_id}
                </Link>
              ),
            },
            {
              key: "order",
              label: t("orders.number"),
              children: (
                <Link to={`/sales/orders/${invoice.order_id}`}>{invoice.order_number}</Link>
              ),
            },
            { key: "amount", label: t("fields.amount"), children: money(invoice.amount) },
            { key: "paid", label: t("orders.paid"), children: money(invoice.paid) },
            {
              key: "balance",
              label: t("orders.balance"),
              children: <Typography.Text strong>{money(invoice.balance)}</Typography.Text>,
            },
            {
              key: "issued",
              label: t("invoice.issued"),
              children: format.dateTime(invoice.issued_at),
            },
            { key: "due", label: t("orders.due"), children: <InvoiceDue invoice={invoice} /> },
          ]}
        />
      </Card>
      <section aria-labelledby="invoice-payments">
        <Card
          size="small"
          title={
            <h2 id="invoice-payments" style={{ fontSize: 16, margin: 0 }}>
              {t("orders.payments")}
            </h2>
          }
        >
          <Table<Payment>
            rowKey="payment_id"
            dataSource={[...invoice.payments].reverse()}
            pagination={false}
            size="small"
            scroll={{ x: true }}
            locale={{ emptyText: t("invoice.noPayments") }}
            columns={[
              {
                key: "paid_at",
                title: t("orders.paidAt"),
                render: (_, payment) => (
                  <time dateTime={payment.paid_at}>{format.dateTime(payment.paid_at)}</time>
                ),
              },
              {
                key: "amount",
                title: t("fields.amount"),
                align: "right",
                render: (_, payment) => money(payment.amount),
              },
              {
                key: "method",
                title: t("orders.method"),
                render: (_, payment) =>
                  PAYMENT_METHODS.includes(payment.method)
                    ? t(`paymentMethod.${payment.method}`)
                    : payment.method,
              },
              {
                key: "reference",
                title: t("invoice.reference"),
                render: (_, payment) => payment.reference ?? "—",
              },
            ]}
          />
        </Card>
      </section>
      {paying && <RecordPaymentDialog invoice={invoice} onClose={() => setPaying(false)} />}
    </Flex>
  );
}
