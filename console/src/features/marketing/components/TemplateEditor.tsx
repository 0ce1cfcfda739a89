/** /marketing/templates/new and /marketing/templates/:id: subject and body with
 * placeholders (the API refuses unknown ones when saving), and the rendered preview. */
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Row,
  Spin,
  Tooltip,
  Typography,
} from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

import {
  type Template,
  useCreateTemplate,
  usePatchTemplate,
  useTemplate,
  useTemplateVariables,
} from "../api/templates";
import { TemplatePreview } from "./TemplatePreview";
import { RouterLink } from "./RouterLink";

interface Values {
  name: string;
  subject: string;
  html: string;
  text?: string;
}

export function TemplateEditor() {
  const { id } = useParams();
  const { t } = useTranslation(["marketing", "common"]);
  const { data: template, error, isLoading } = useTemplate(id);
  if (id && isLoading) return <Spin />;
  if (id && (error || !template))
    return <Alert type="error" showIcon title={errorText(t, error)} />;
  return (
    <TemplateForm
      key={template ? `${template.id}-${template.version}` : "new"}
      template={template}
    />
  );
}

/** `{{ name }}`, the way a placeholder is written in a template. */
export function placeholder(name: string): string {
  return `{{ ${name} }}`;
}

function TemplateForm({ template }: { template: Template | undefined }) {
  const { t, i18n } = useTranslation(["marketing", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { can } = useSession();
  const [form] = Form.useForm<Values>();
  const variables = useTemplateVariables();
  const create = useCreateTemplate();
  const patch = usePatchTemplate(template?.id ?? "");
  const readOnly = !can("campaigns:write");
  const initial = useMemo<Values>(
    () => ({
      name: template?.name ?? "",
      subject: template?.subject ?? "",
      html: template?.html ?? "",
      text: template?.text ?? undefined,
    }),
    [template],
  );

  const insert = (name: string) => {
    const html = form.getFieldValue("html") as string | undefined;
    form.setFieldValue("html", `${html ?? ""}${placeholder(name)}`);
  };

  const submit = async (values: Values) => {
    const body = {
      name: values.name,
      subject: values.subject,
      html: values.html,
      text: values.text || null,
    };
    try {
      if (template) {
        await patch.mutateAsync({ version: template.version, body });
      } else {
        const created = await create.mutateAsync(body);
        void navigate(`/marketing/templates/${created.id}`, { replace: true });
      }
      message.success(t("template.saved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void client.invalidateQueries({
          queryKey: ["marketing", "templates", "one", template?.id],
        });
      }
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !(error instanceof ApiError && error.problem.errors?.length))
        message.error(errorText(t, error));
    }
  };

  return (
    <Flex vertical gap={16}>
      <RouterLink to="/marketing/templates">{t("template.backToList")}</RouterLink>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {template ? template.name : t("templates.new")}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={13}>
          <Card size="small" title={t("template.content")}>
            <Form<Values>
              form={form}
              layout="vertical"
              initialValues={initial}
              disabled={readOnly}
              onFinish={submit}
            >
              <Form.Item
                name="name"
                label={t("template.name")}
                rules={[{ required: true, message: t("template.nameRequired") }]}
              >
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                name="subject"
                label={t("template.subject")}
                rules={[{ required: true, message: t("template.subjectRequired") }]}
              >
                <Input maxLength={500} />
              </Form.Item>
              <Flex vertical gap={4} style={{ marginBottom: 12 }}>
                <Typography.Text type="secondary">{t("template.placeholders")}</Typography.Text>
                <Flex gap={4} wrap>
                  {(variables.data ?? []).map((variable) => (
                    <Tooltip
                      key={variable.name}
                      title={
                        i18n.exists(`marketing:variable.${variable.name}`)
                          ? t(`variable.${variable.name}`)
                          : variable.description
                      }
                    >
                      <Button
                        size="small"
                        onClick={() => insert(variable.name)}
                        aria-label={t("template.insert", { name: placeholder(variable.name) })}
                      >
                        {placeholder(variable.name)}
                      </Button>
                    </Tooltip>
                  ))}
                </Flex>
              </Flex>
              <Form.Item
                name="html"
                label={t("template.html")}
                rules={[{ required: true, message: t("template.htmlRequired") }]}
              >
                <Input.TextArea rows={10} style={{ fontFamily: "monospace" }} />
              </Form.Item>
              <Form.Item name="text" label={t("template.text")} extra={t("template.textHelp")}>
                <Input.TextArea rows={5} style={{ fontFamily: "monospace" }} />
              </Form.Item>
              {!readOnly && (
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={create.isPending || patch.isPending}
                >
                  {template ? t("template.saveAndPreview") : t("template.createAndPreview")}
                </Button>
              )}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={11}>
          {template ? (
            <TemplatePreview id={template.id} version={template.version} />
          ) : (
            <Card size="small" title={t("template.preview")}>
              <Typography.Text type="secondary">{t("template.previewAfterSave")}</Typography.Text>
            </Card>
          )}
        </Col>
      </Row>
    </Flex>
  );
}
