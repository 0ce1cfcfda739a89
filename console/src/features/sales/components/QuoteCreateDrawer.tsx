/**
 * A new quote (S-7) for a deal: its customer and deal taken from the deal (from the
 * deal page), or a deal chosen first (from the quote list); terms typed or taken from a
 * quote template, the totals worked out as the person types. The quote is created as a
 * draft and opened. Field errors from the API stand beside their fields.
 */
import { Alert, App, Button, Drawer, Flex, Form, Grid, Input, Select, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { formProblem } from "@/lib/api/problem";

import { type Opportunity, useOpenOpportunities } from "../api/opportunities";
import { useCreateQuote, useQuoteTemplates } from "../api/quotes";
import {
  CURRENCIES,
  type QuoteDraftValues,
  draftFor,
  quoteCreateBody,
  withTemplate,
} from "../lib/quoteDraft";
import { TermsFields } from "./TermsFields";

const FIELD = { flex: "1 1 200px", margin: 0 };

/** A value the form sends but the person does not type: shown, read-only, by name. */
function Shown({ id, text }: { id?: string; text: string; value?: unknown }) {
  return <Input id={id} readOnly variant="filled" value={text} />;
}

export function QuoteCreateDrawer({
  deal,
  onClose,
}: {
  /** The deal the quote is for; without one the person chooses it. */
  deal?: Opportunity;
  onClose: () => void;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<QuoteDraftValues>();
  const [chosen, setChosen] = useState<Opportunity | undefined>(deal);
  const deals = useOpenOpportunities(!deal);
  const templates = useQuoteTemplates();
  const create = useCreateQuote();
  const [problem, setProblem] = useState<string | null>(null);
  const currency = (Form.useWatch("currency", form) as string | undefined) ?? chosen?.currency;

  const choose = (opportunityId: string) => {
    const found = deals.data?.items.find((item) => item.opportunity_id === opportunityId);
    if (!found) return;
    setChosen(found);
    const current = form.getFieldsValue(true) as QuoteDraftValues;
    form.setFieldsValue({
      ...current,
      opportunity_id: found.opportunity_id,
      customer_id: found.customer_id,
      currency: found.currency,
    });
  };

  const applyTemplate = (templateId: string | null) => {
    const current = form.getFieldsValue(true) as QuoteDraftValues;
    const template = templates.data?.find((item) => item.template_id === templateId);
    form.setFieldsValue(
      template ? withTemplate(current, template) : { ...current, template_id: null },
    );
  };

  const submit = async (values: QuoteDraftValues) => {
    setProblem(null);
    try {
      const created = await create.mutateAsync(
        quoteCreateBody({ ...(form.getFieldsValue(true) as QuoteDraftValues), ...values }),
      );
      void message.success(t("newQuote.created", { number: created.quote_number }));
      onClose();
      void navigate(`/sales/quotes/${created.quote_id}`);
    } catch (error) {
      setProblem(formProblem(form, error, t));
    }
  };

  const currencies = [...new Set([...CURRENCIES, ...(chosen ? [chosen.currency] : [])])];
  const required = [{ required: true, message: t("gate.required") }];
  return (
    <Drawer
      open
      onClose={onClose}
      title={deal ? t("newQuote.titleFor", { name: deal.name }) : t("newQuote.title")}
      size={phone ? "100%" : 760}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t("newQuote.create")}
          </Button>
          <Button onClick={onClose}>{t("actions.cancel", { ns: "common" })}</Button>
        </Space>
      }
    >
      {problem && (
        <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form<QuoteDraftValues>
        form={form}
        layout="vertical"
        initialValues={
          deal
            ? draftFor(deal)
            : {
                ...draftFor({ opportunity_id: "", customer_id: "", currency: "CNY" }),
                opportunity_id: null,
              }
        }
        onFinish={(values) => void submit(values)}
        scrollToFirstError
      >
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <Form.Item
            name="opportunity_id"
            label={t("newQuote.deal")}
            rules={deal ? [] : required}
            style={FIELD}
          >
            {deal ? (
              <Shown text={deal.name} />
            ) : (
              <Select
                showSearch
                optionFilterProp="label"
                loading={deals.isPending}
                placeholder={t("newQuote.chooseDeal")}
                onChange={choose}
                options={(deals.data?.items ?? []).map((item) => ({
                  value: item.opportunity_id,
                  label: item.customer_name ? `${item.name} · ${item.customer_name}` : item.name,
                }))}
              />
            )}
          </Form.Item>
          <Form.Item name="customer_id" label={t("fields.customer")} style={FIELD}>
            <Shown text={chosen ? (chosen.customer_name ?? t("customer.unnamed")) : "—"} />
          </Form.Item>
          {(templates.data?.length ?? 0) > 0 && (
            <Form.Item name="template_id" label={t("newQuote.template")} style={FIELD}>
              <Select
                allowClear
                placeholder={t("newQuote.noTemplate")}
                onChange={(value: string | undefined) => applyTemplate(value ?? null)}
                options={(templates.data ?? []).map((item) => ({
                  value: item.template_id,
                  label: item.name,
                }))}
              />
            </Form.Item>
          )}
          <Form.Item name="currency" label={t("newQuote.currency")} rules={required} style={FIELD}>
            <Select options={currencies.map((code) => ({ value: code, label: code }))} />
          </Form.Item>
        </Flex>
        <TermsFields
          form={form}
          prefix={["terms"]}
          currency={currency ?? "CNY"}
          totalsTitle={t("newQuote.totals")}
        />
      </Form>
    </Drawer>
  );
}
