/** Orders, invoices and payments (S-8): what was ordered, billed and received. The tab
 * and "overdue invoices only" are kept in the address (`?tab=invoices&overdue=1`). */
import { Alert, Checkbox, Flex, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import {
  type Invoice,
  type Order,
  PAGE_SIZE,
  type Payment,
  useInvoices,
  useOrders,
  usePayments,
} from "../api/documents";
import { INVOICE_COLOR, ORDER_COLOR } from "../lib/colors";
import { PAYMENT_METHODS } from "../lib/documentFlow";
import { CustomerLink } from "./CustomerLink";
import { InvoiceDue } from "./InvoiceDue";

const TABS = ["orders", "invoices", "payments"] as const;
type TabKey = (typeof TABS)[number];

function usePaging() {
  const [offset, setOffset] = useState(0);
  const pagination = (total: number | undefined) => ({
    current: offset / PAGE_SIZE + 1,
    pageSize: PAGE_SIZE,
    total: total ?? 0,
    showSizeChanger: false,
    onChange: (page: number) => setOffset((page - 1) * PAGE_SIZE),
  });
  return { offset, pagination, restart: () => setOffset(0) };
}

function Orders() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { offset, pagination } = usePaging();
  const orders = useOrders(offset);
  return (
    <>
      {orders.error && <Alert type="error" showIcon title={errorText(t, orders.error)} />}
      <Table<Order>
        rowKey="order_id"
        loading={orders.isFetching}
        dataSource={orders.data?.items ?? []}
        scroll={{ x: true }}
        pagination={pagination(orders.data?.total)}
        columns={[
          {
            key: "number",
            title: t("orders.number"),
            render: (_, order) => (
              <Link to={`/sales/orders/${order.order_id}`}>{order.order_number}</Link>
            ),
          },
          {
            key: "customer",
            title: t("fields.customer"),
            render: (_, order) => (
              <CustomerLink customerId={order.customer_id} name={order.customer_name} />
            ),
          },
          {
            key: "status",
            title: t("leadFields.status"),
            render: (_, order) => (
              <Tag color={ORDER_COLOR[order.status]}>{t(`orderStatus.${order.status}`)}</Tag>
            ),
          },
          {
            key: "total",
            title: t("quotes.total"),
            render: (_, order) => format.money(order.totals.total, order.currency),
          },
          {
            key: "paid",
            title: t("orders.paid"),
            render: (_, order) => format.money(order.paid, order.currency),
          },
          {
            key: "receivable",
            title: t("orders.receivable"),
            render: (_, order) => format.money(order.receivable, order.currency),
          },
          {
            key: "created",
            title: t("orders.created"),
            render: (_, order) => format.dateTime(order.created_at),
          },
        ]}
      />
    </>
  );
}

function Invoices({
  overdue,
  onOverdue,
}: {
  overdue: boolean;
  onOverdue: (overdue: boolean) => void;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { offset, pagination, restart } = usePaging();
  const invoices = useInvoices(offset, overdue);
  return (
    <Flex vertical gap={12}>
      <Checkbox
        checked={overdue}
        onChange={(event) => {
          restart();
          onOverdue(event.target.checked);
        }}
      >
        {t("orders.overdueOnly")}
      </Checkbox>
      {invoices.error && <Alert type="error" showIcon title={errorText(t, invoices.error)} />}
      <Table<Invoice>
        rowKey="invoice_id"
        loading={invoices.isFetching}
        dataSource={invoices.data?.items ?? []}
        scroll={{ x: true }}
        pagination={pagination(invoices.data?.total)}
        columns={[
          {
            key: "number",
            title: t("orders.invoiceNumber"),
            render: (_, invoice) => (
              <Link to={`/sales/invoices/${invoice.invoice_id}`}>{invoice.invoice_number}</Link>
            ),
          },
          {
            key: "order",
            title: t("orders.number"),
            render: (_, invoice) => (
              <Link to={`/sales/orders/${invoice.order_id}`}>{invoice.order_number}</Link>
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
            render: (_, invoice) => format.money(invoice.amount, invoice.currency),
          },
          {
            key: "balance",
            title: t("orders.balance"),
            render: (_, invoice) => format.money(invoice.balance, invoice.currency),
          },
          {
            key: "due",
            title: t("orders.due"),
            render: (_, invoice) => <InvoiceDue invoice={invoice} />,
          },
        ]}
      />
    </Flex>
  );
}

function Payments() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { offset, pagination } = usePaging();
  const payments = usePayments(offset);
  return (
    <>
      {payments.error && <Alert type="error" showIcon title={errorText(t, payments.error)} />}
      <Table<Payment>
        rowKey="payment_id"
        loading={payments.isFetching}
        dataSource={payments.data?.items ?? []}
        scroll={{ x: true }}
        pagination={pagination(payments.data?.total)}
        columns={[
          {
            key: "invoice",
            title: t("orders.invoiceNumber"),
            render: (_, payment) => (
              <Link to={`/sales/invoices/${payment.invoice_id}`}>{payment.invoice_number}</Link>
            ),
          },
          {
            key: "amount",
            title: t("fields.amount"),
            render: (_, payment) => format.money(payment.amount, payment.currency),
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
            key: "paid",
            title: t("orders.paidAt"),
            render: (_, payment) => format.dateTime(payment.paid_at),
          },
        ]}
      />
    </>
  );
}

export function OrdersPage() {
  const { t } = useTranslation("sales");
  const [params, setParams] = useSearchParams();
  const tab: TabKey = TABS.find((key) => key === params.get("tab")) ?? "orders";
  const overdue = params.get("overdue") === "1";
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("orders.title")}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === "orders" ? null : key })}
        items={[
          { key: "orders", label: t("orders.orders"), children: <Orders /> },
          {
            key: "invoices",
            label: t("orders.invoices"),
            children: (
              <Invoices
                overdue={overdue}
                onOverdue={(on) => update({ overdue: on ? "1" : null })}
              />
            ),
          },
          { key: "payments", label: t("orders.payments"), children: <Payments /> },
        ]}
      />
    </Flex>
  );
}
