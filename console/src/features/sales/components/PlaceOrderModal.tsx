/**
 * Placing the order (S-8) for an accepted quote: the lines, discount and tax of the
 * revision the customer accepted, for the quote's customer and deal. The person checks
 * what will be ordered and places it; the order opens. Field errors from the API
 * (`body.quote_id`, `body.customer_id`, ...) stand beside the field they name.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Descriptions, Flex, Form, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { formProblem } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import type { Quote } from "../api/documents";
import { fetchOpportunity, opportunityKeys } from "../api/opportunities";
import { usePlaceOrder } from "../api/orders";
import { orderFromQuote } from "../lib/quoteDraft";

interface Named {
  quote_id: string;
  customer_id: string;
  opportunity_id: string | null;
}

/** A value the order names but the person does not type: shown, read-only, by name. */
function Shown({ id, text }: { id?: string; text: string; value?: unknown }) {
  return <Input id={id} readOnly variant="filled" value={text} />;
}

export function PlaceOrderModal({ quote, onClose }: { quote: Quote; onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Named>();
  const place = usePlaceOrder();
  const [problem, setProblem] = useState<string | null>(null);
  const deal = useQuery({
    queryKey: opportunityKeys.one(quote.opportunity_id ?? ""),
    queryFn: () => fetchOpportunity(quote.opportunity_id ?? ""),
    enabled: Boolean(quote.opportunity_id),
  });
  const body = orderFromQuote(quote);
  const accepted = quote.revisions.find((item) => item.number === quote.current_revision);

  const submit = async () => {
    setProblem(null);
    try {
      const order = await place.mutateAsync(body);
      void message.success(t("newOrder.placed", { number: order.order_number }));
      onClose();
      void navigate(`/sales/orders/${order.order_id}`);
    } catch (error) {
      setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Modal
      open
      title={t("newOrder.title", { number: quote.quote_number })}
      okText={t("newOrder.place")}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={place.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem && (
        <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} role="alert" />
      )}
      <Typography.Paragraph>
        {t("newOrder.intro", { revision: quote.current_revision })}
      </Typography.Paragraph>
      <Form<Named>
        form={form}
        layout="vertical"
        initialValues={{
          quote_id: quote.quote_id,
          customer_id: quote.customer_id,
          opportunity_id: quote.opportunity_id,
        }}
        onFinish={() => void submit()}
      >
        <Form.Item name="quote_id" label={t("newOrder.quote")}>
          <Shown text={quote.quote_number} />
        </Form.Item>
        <Form.Item name="customer_id" label={t("fields.customer")}>
          <Shown text={quote.customer_name ?? t("customer.unnamed")} />
        </Form.Item>
        {quote.opportunity_id && (
          <Form.Item name="opportunity_id" label={t("newQuote.deal")}>
            <Shown text={deal.data?.name ?? "…"} />
          </Form.Item>
        )}
      </Form>
      <Descriptions
        size="small"
        bordered
        column={1}
        items={[
          {
            key: "lines",
            label: t("quote.lines"),
            children: (
              <Flex vertical>
                {body.lines.map((line, index) => (
                  <span key={index}>
                    {t("newOrder.line", {
                      product: line.product,
                      quantity: format.number(Number(line.quantity), 3),
                    })}
                  </span>
                ))}
              </Flex>
            ),
          },
          {
            key: "total",
            label: t("quotes.total"),
            children: format.money(accepted?.totals.total, quote.currency),
          },
        ]}
      />
    </Modal>
  );
}
