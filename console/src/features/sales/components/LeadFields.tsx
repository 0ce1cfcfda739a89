/** A lead's details as form fields, the same when a lead is entered and when it is edited. */
import { Form, Input, Select } from "antd";
import { useTranslation } from "react-i18next";

/** The free-text details beside name, e-mail and phone. */
export const LEAD_TEXT_FIELDS = [
  "company",
  "title",
  "industry",
  "company_size",
  "region",
  "product",
] as const;

export function LeadFields() {
  const { t } = useTranslation("sales");
  return (
    <>
      <Form.Item
        name="name"
        label={t("leadFields.name")}
        rules={[{ required: true, whitespace: true, message: t("gate.required") }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="email" label={t("leadFields.email")}>
        <Input type="email" maxLength={254} />
      </Form.Item>
      <Form.Item name="phone" label={t("leadFields.phone")} extra={t("leadFields.phoneHint")}>
        <Input maxLength={16} />
      </Form.Item>
      {LEAD_TEXT_FIELDS.map((field) => (
        <Form.Item key={field} name={field} label={t(`leadFields.${field}`)}>
          <Input maxLength={200} />
        </Form.Item>
      ))}
      <Form.Item name="interest_level" label={t("leadFields.interest_level")}>
        <Select
          allowClear
          options={[1, 2, 3, 4, 5].map((level) => ({
            value: level,
            label: t(`interest.${level}`),
          }))}
        />
      </Form.Item>
    </>
  );
}
