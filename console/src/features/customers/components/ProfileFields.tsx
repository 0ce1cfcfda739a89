/** The profile's fields, shared by the new-customer form and the edit drawer. */
import { Col, Form, Input, Row, Select } from "antd";
import { useTranslation } from "react-i18next";

import { MAIL_LANGUAGES } from "../profileForm";

export function ProfileFields({ maskedPii = false }: { maskedPii?: boolean }) {
  const { t } = useTranslation("customers");
  const text = (
    name: string,
    props: { type?: string; autoComplete?: string; inputMode?: "tel" | "email" } = {},
  ) => (
    <Col xs={24} md={12} key={name}>
      <Form.Item name={name} label={t(`fields.${name}`)}>
        <Input {...props} />
      </Form.Item>
    </Col>
  );
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item
          name="name"
          label={t("fields.name")}
          rules={[{ required: true, whitespace: true, message: t("form.nameRequired") }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          name="phone"
          label={t("fields.phone")}
          extra={maskedPii ? t("form.maskedHint") : t("form.phoneHint")}
        >
          <Input type="tel" inputMode="tel" autoComplete="off" />
        </Form.Item>
      </Col>
      {text("email", { type: "email", inputMode: "email", autoComplete: "off" })}
      {text("company")}
      {text("title")}
      {text("industry")}
      {text("company_size")}
      {text("region")}
      {text("address")}
      {text("source_channel")}
      {text("team")}
      {text("national_id")}
      <Col xs={24} md={12}>
        <Form.Item name="language" label={t("fields.language")} extra={t("form.languageHint")}>
          <Select
            allowClear
            placeholder={t("languages.default")}
            options={MAIL_LANGUAGES.map((language) => ({
              value: language,
              label: t(`languages.${language}`),
            }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="tags" label={t("fields.tags")}>
          <Select mode="tags" tokenSeparators={[",", "，"]} open={false} suffixIcon={null} />
        </Form.Item>
      </Col>
    </Row>
  );
}
