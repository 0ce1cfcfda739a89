/**
 * A new revision of a quote: it starts from the revision offered last, every line and
 * discount can change, and the totals are worked out as the person types. The
 * version read goes with it (If-Match); when someone revised the quote meanwhile
 * (412), the newer quote is fetched and saving again builds on it.
 */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Space,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import type { Quote } from "../api/documents";
import { useReviseQuote } from "../api/quotes";
import { lineAmount, price } from "../lib/pricing";
import { type LineValues, type RevisionValues, revisionValues, toTerms } from "../lib/revisionForm";

const FIELD = { flex: "1 1 140px", margin: 0 };

export function RevisionDrawer({
  quote,
  revision,
  onClose,
  onSaved,
  onConflict,
}: {
  quote: Quote;
  /** The revision the new one starts from. */
  revision: Quote["revisions"][number];
  onClose: () => void;
  onSaved: (quote: Quote) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<RevisionValues>();
  const revise = useReviseQuote(quote);
  const [problem, setProblem] = useState<string | null>(null);
  const lines = (Form.useWatch("lines", form) ?? []) as LineValues[];
  const discount = Form.useWatch("discount_percent", form);
  const tax = Form.useWatch("tax_rate_percent", form);
  const totals = price(
    lines.map((line) => ({
      quantity: line?.quantity ?? "0",
      unit_price: line?.unit_price ?? "0",
      discount_percent: line?.discount_percent,
    })),
    discount,
    tax,
  );
  const money = (amount: string) => format.money(amount, quote.currency);

  const submit = async (values: RevisionValues) => {
    setProblem(null);
    try {
      const saved = await revise.mutateAsync(toTerms(values));
      void message.success(t("quote.revised", { revision: saved.current_revision }));
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        onConflict();
        setProblem(t("quote.revisedMeanwhile"));
        return;
      }
      setProblem(formProblem(form, error, t));
    }
  };

  const required = [{ required: true, message: t("gate.required") }];
  return (
    <Drawer
      open
      onClose={onClose}
      title={t("quote.reviseTitle", { number: quote.quote_number })}
      size={phone ? "100%" : 760}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={revise.isPending} onClick={() => form.submit()}>
            {t("quote.saveRevision")}
          </Button>
          <Button onClick={onClose}>{t("actions.cancel", { ns: "common" })}</Button>
        </Space>
      }
    >
      {problem && (
        <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form<RevisionValues>
        form={form}
        layout="vertical"
        initialValues={revisionValues(revision)}
        onFinish={(values) => void submit(values)}
        scrollToFirstError
      >
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <Flex vertical gap={12} style={{ marginBottom: 16 }}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  role="group"
                  aria-label={t("quote.lineN", { n: index + 1 })}
                  title={t("quote.lineN", { n: index + 1 })}
                  extra={
                    fields.length > 1 && (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t("quote.removeLine", { n: index + 1 })}
                        onClick={() => remove(field.name)}
                      />
                    )
                  }
                >
                  <Flex wrap gap={12}>
                    <Form.Item
                      name={[field.name, "product"]}
                      label={t("quote.product")}
                      rules={required}
                      style={{ ...FIELD, flexBasis: 220 }}
                    >
                      <Input maxLength={120} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, "description"]}
                      label={t("quote.description")}
                      style={{ ...FIELD, flexBasis: 220 }}
                    >
                      <Input maxLength={500} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, "quantity"]}
                      label={t("quote.quantity")}
                      rules={required}
                      style={FIELD}
                    >
                      <InputNumber stringMode min="0.001" precision={3} style={{ width: "100%" }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, "unit_price"]}
                      label={t("quote.unitPrice")}
                      rules={required}
                      style={FIELD}
                    >
                      <InputNumber stringMode min="0" precision={2} style={{ width: "100%" }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, "discount_percent"]}
                      label={t("quote.lineDiscount")}
                      style={FIELD}
                    >
                      <InputNumber
                        stringMode
                        min="0"
                        max="100"
                        precision={2}
                        suffix="%"
                        style={{ width: "100%" }}
                      />
                    </Form.Item>
                  </Flex>
                  <div style={{ textAlign: "right", marginTop: 8 }}>
                    {t("quote.lineAmount", {
                      amount: money(
                        lineAmount({
                          quantity: lines[index]?.quantity ?? "0",
                          unit_price: lines[index]?.unit_price ?? "0",
                          discount_percent: lines[index]?.discount_percent,
                        }),
                      ),
                    })}
                  </div>
                </Card>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ quantity: "1", discount_percent: "0" })}
                disabled={fields.length >= 200}
              >
                {t("quote.addLine")}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Flex wrap gap={12}>
          <Form.Item name="discount_percent" label={t("quote.documentDiscount")} style={FIELD}>
            <InputNumber
              stringMode
              min="0"
              max="100"
              precision={2}
              suffix="%"
              style={{ width: "100%" }}
            />
          </Form.Item>
          <Form.Item name="tax_rate_percent" label={t("quote.taxRate")} style={FIELD}>
            <InputNumber
              stringMode
              min="0"
              max="100"
              precision={2}
              suffix="%"
              style={{ width: "100%" }}
            />
          </Form.Item>
          <Form.Item name="valid_until" label={t("quote.validUntil")} style={FIELD}>
            <DatePicker style={{ width: "100%" }} />
          </Form.Item>
        </Flex>
        <Form.Item name="terms_text" label={t("quote.termsText")} style={{ marginTop: 12 }}>
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
      <section aria-label={t("quote.newTotals")}>
        <Descriptions
          size="small"
          bordered
          column={1}
          title={t("quote.newTotals")}
          items={[
            { key: "subtotal", label: t("quote.subtotal"), children: money(totals.subtotal) },
            { key: "discount", label: t("quote.discountShort"), children: money(totals.discount) },
            { key: "tax", label: t("quote.taxShort"), children: money(totals.tax) },
            { key: "total", label: t("quotes.total"), children: money(totals.total) },
          ]}
        />
      </section>
    </Drawer>
  );
}
