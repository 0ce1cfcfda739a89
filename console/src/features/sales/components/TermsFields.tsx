/**
 * The terms of a quote being written (a new quote or a new revision): its lines, the
 * document discount, tax rate, validity and terms text, with the totals worked out as
 * the person types. `prefix` is where the terms sit in the form's values (`[]` when
 * they are the whole form, `["terms"]` inside a new quote), so an API error on
 * `body.terms.lines.0.quantity` or `body.lines.0.quantity` lands beside its field.
 */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
} from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

import { lineAmount, price } from "../lib/pricing";
import type { LineValues } from "../lib/revisionForm";

const FIELD = { flex: "1 1 140px", margin: 0 };

export function TermsFields<Values>({
  form,
  prefix,
  currency,
  totalsTitle,
}: {
  form: FormInstance<Values>;
  prefix: string[];
  currency: string;
  totalsTitle: string;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const lines = (Form.useWatch([...prefix, "lines"], form) ?? []) as LineValues[];
  const discount = Form.useWatch([...prefix, "discount_percent"], form) as string | undefined;
  const tax = Form.useWatch([...prefix, "tax_rate_percent"], form) as string | undefined;
  const priced = (line: LineValues | undefined) => ({
    quantity: line?.quantity ?? "0",
    unit_price: line?.unit_price ?? "0",
    discount_percent: line?.discount_percent,
  });
  const totals = price(lines.map(priced), discount, tax);
  const money = (amount: string) => format.money(amount, currency);
  const required = [{ required: true, message: t("gate.required") }];
  const percentInput = (
    <InputNumber stringMode min="0" max="100" precision={2} suffix="%" style={{ width: "100%" }} />
  );

  return (
    <>
      <Form.List name={[...prefix, "lines"]}>
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
                    {percentInput}
                  </Form.Item>
                </Flex>
                <div style={{ textAlign: "right", marginTop: 8 }}>
                  {t("quote.lineAmount", { amount: money(lineAmount(priced(lines[index]))) })}
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
        <Form.Item
          name={[...prefix, "discount_percent"]}
          label={t("quote.documentDiscount")}
          style={FIELD}
        >
          {percentInput}
        </Form.Item>
        <Form.Item name={[...prefix, "tax_rate_percent"]} label={t("quote.taxRate")} style={FIELD}>
          {percentInput}
        </Form.Item>
        <Form.Item name={[...prefix, "valid_until"]} label={t("quote.validUntil")} style={FIELD}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
      </Flex>
      <Form.Item
        name={[...prefix, "terms_text"]}
        label={t("quote.termsText")}
        style={{ marginTop: 12 }}
      >
        <Input.TextArea maxLength={4000} autoSize={{ minRows: 2 }} />
      </Form.Item>
      <section aria-label={totalsTitle}>
        <Descriptions
          size="small"
          bordered
          column={1}
          title={totalsTitle}
          items={[
            { key: "subtotal", label: t("quote.subtotal"), children: money(totals.subtotal) },
            { key: "discount", label: t("quote.discountShort"), children: money(totals.discount) },
            { key: "tax", label: t("quote.taxShort"), children: money(totals.tax) },
            { key: "total", label: t("quotes.total"), children: money(totals.total) },
          ]}
        />
      </section>
    </>
  );
}
