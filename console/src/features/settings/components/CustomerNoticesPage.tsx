/** Mail to customers, for administrators: when payment reminders and overdue notices go
 * (days before and after the due date), and the text of each notice per kind and
 * language, with the placeholders it may quote beside the editor and a preview filled
 * in with sample values. Both are saved with If-Match: a change made meanwhile by
 * someone else is refused and offered to be loaded. */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Segmented,
  Select,
  Skeleton,
  Tag,
  Typography,
} from "antd";
import type { InputRef } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import {
  type NoticeSettings,
  type NoticeTemplate,
  useNoticeSettings,
  useNoticeTemplates,
  useSaveNoticeSettings,
  useSaveNoticeTemplate,
} from "../api/customerNotices";
import {
  insertAt,
  isStepDay,
  MAX_STEP_DAYS,
  MAX_STEPS,
  NOTICE_KINDS,
  NOTICE_LANGUAGES,
  type NoticeKind,
  type NoticeLanguage,
  placeholder,
  preview,
  sampleValues,
  sortedSteps,
  stepsProblem,
} from "../lib/customerNotices";
import { QueryError } from "./QueryError";

type StepsField = "payment_reminder_days_before" | "overdue_notice_days_after";
type StepsValues = Record<StepsField, (number | null)[]>;

/** A 412: someone saved meanwhile; the person may load their version. */
function Conflict({ onReload, loading }: { onReload: () => void; loading: boolean }) {
  const { t } = useTranslation("settings");
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t("customerNotices.conflict")}
      action={
        <Button size="small" onClick={onReload} loading={loading}>
          {t("customerNotices.reload")}
        </Button>
      }
      style={{ marginBottom: 12 }}
    />
  );
}

function StepsList({ name }: { name: StepsField }) {
  const { t } = useTranslation("settings");
  const label = t(`customerNotices.${name}`);
  return (
    <Form.List
      name={name}
      rules={[
        {
          validator: async (_, days: (number | null)[] | undefined) => {
            const problem = stepsProblem(days ?? []);
            if (problem) throw new Error(t(`customerNotices.${problem}`, { max: MAX_STEPS }));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <fieldset style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 4 }}>{label}</legend>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t(`customerNotices.${name}Help`)}
          </Typography.Paragraph>
          {fields.length === 0 && (
            <Typography.Paragraph type="secondary">
              {t("customerNotices.noSteps")}
            </Typography.Paragraph>
          )}
          {fields.map((field, index) => {
            const stepLabel = t("customerNotices.stepLabel", { label, n: index + 1 });
            return (
              <Flex key={field.key} gap={8} align="flex-start">
                <Form.Item
                  name={field.name}
                  validateTrigger={["onChange", "onBlur"]}
                  rules={[
                    {
                      validator: async (_, day: number | null | undefined) => {
                        if (!isStepDay(day))
                          throw new Error(t("customerNotices.day", { max: MAX_STEP_DAYS }));
                      },
                    },
                  ]}
                  style={{ marginBottom: 8 }}
                >
                  <InputNumber
                    aria-label={stepLabel}
                    suffix={t("customerNotices.days")}
                    style={{ width: 140 }}
                  />
                </Form.Item>
                <Button
                  aria-label={t("customerNotices.removeStep", { step: stepLabel })}
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                />
              </Flex>
            );
          })}
          <Button
            icon={<PlusOutlined />}
            disabled={fields.length >= MAX_STEPS}
            onClick={() => add(null)}
            aria-label={t("customerNotices.addStepTo", { label })}
          >
            {t("customerNotices.addStep")}
          </Button>
          <Form.ErrorList errors={errors} />
        </fieldset>
      )}
    </Form.List>
  );
}

function StepsForm({
  settings,
  onReload,
  reloading,
}: {
  settings: NoticeSettings;
  onReload: () => void;
  reloading: boolean;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<StepsValues>();
  const save = useSaveNoticeSettings();
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);

  const submit = async (values: StepsValues) => {
    setProblem(null);
    setConflict(false);
    try {
      await save.mutateAsync({
        version: settings.version,
        body: {
          payment_reminder_days_before: sortedSteps(
            values.payment_reminder_days_before.filter(isStepDay),
          ),
          overdue_notice_days_after: sortedSteps(
            values.overdue_notice_days_after.filter(isStepDay),
          ),
        },
      });
      void message.success(t("customerNotices.stepsSaved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setConflict(true);
      else setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Form<StepsValues>
      form={form}
      name="customer-notice-steps"
      layout="vertical"
      initialValues={{
        payment_reminder_days_before: settings.payment_reminder_days_before,
        overdue_notice_days_after: settings.overdue_notice_days_after,
      }}
      onFinish={(values) => void submit(values)}
    >
      {conflict && <Conflict onReload={onReload} loading={reloading} />}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Row gutter={[24, 16]}>
        <Col xs={24} md={12}>
          <StepsList name="payment_reminder_days_before" />
        </Col>
        <Col xs={24} md={12}>
          <StepsList name="overdue_notice_days_after" />
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }}>
        {t("customerNotices.saveSteps")}
      </Button>
    </Form>
  );
}

type Field = "subject" | "body";
interface TemplateValues {
  subject: string;
  body: string;
}

function TemplateEditor({
  template,
  onReload,
  reloading,
}: {
  template: NoticeTemplate;
  onReload: () => void;
  reloading: boolean;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const { message } = App.useApp();
  const format = useFormat();
  const [form] = Form.useForm<TemplateValues>();
  const save = useSaveNoticeTemplate();
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const subjectRef = useRef<InputRef>(null);
  const bodyRef = useRef<TextAreaRef>(null);
  // Where a clicked placeholder goes: the field last in focus, at its caret.
  const target = useRef<Field>("body");
  const subject = Form.useWatch("subject", form) ?? template.subject;
  const body = Form.useWatch("body", form) ?? template.body;
  const shown = useMemo(
    () => preview({ subject, body }, sampleValues(template.variables, template.language)),
    [subject, body, template.variables, template.language],
  );

  const element = (field: Field) =>
    field === "subject" ? subjectRef.current?.input : bodyRef.current?.resizableTextArea?.textArea;

  const insert = (name: string) => {
    const field = target.current;
    const input = element(field);
    const current = (form.getFieldValue(field) as string | undefined) ?? "";
    const next = insertAt(
      current,
      placeholder(name),
      input?.selectionStart ?? current.length,
      input?.selectionEnd ?? current.length,
    );
    form.setFieldValue(field, next.text);
    void form.validateFields([field]).catch(() => undefined);
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(next.caret, next.caret);
    });
  };

  const submit = async (values: TemplateValues) => {
    setProblem(null);
    setConflict(false);
    try {
      await save.mutateAsync({
        kind: template.kind,
        language: template.language,
        version: template.version,
        body: values,
      });
      void message.success(t("customerNotices.templateSaved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setConflict(true);
      else setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} lg={16}>
        <Form<TemplateValues>
          form={form}
          name="customer-notice-template"
          layout="vertical"
          initialValues={{ subject: template.subject, body: template.body }}
          onFinish={(values) => void submit(values)}
        >
          {conflict && <Conflict onReload={onReload} loading={reloading} />}
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
          <Typography.Paragraph type="secondary">
            {template.default
              ? t("customerNotices.shipped")
              : t("customerNotices.changedAt", {
                  at: template.updated_at ? format.dateTime(template.updated_at) : "",
                })}
          </Typography.Paragraph>
          <Form.Item
            name="subject"
            label={t("customerNotices.subject")}
            rules={[
              { required: true, whitespace: true, message: t("customerNotices.required") },
              {
                pattern: /^[^\r\n]*$/,
                message: t("customerNotices.oneLine"),
              },
            ]}
          >
            <Input
              ref={subjectRef}
              maxLength={200}
              autoComplete="off"
              onFocus={() => (target.current = "subject")}
            />
          </Form.Item>
          <Form.Item
            name="body"
            label={t("customerNotices.body")}
            rules={[{ required: true, whitespace: true, message: t("customerNotices.required") }]}
          >
            <Input.TextArea
              ref={bodyRef}
              autoSize={{ minRows: 8, maxRows: 24 }}
              maxLength={10_000}
              onFocus={() => (target.current = "body")}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("customerNotices.saveTemplate")}
          </Button>
        </Form>
      </Col>
      <Col xs={24} lg={8}>
        <section aria-labelledby="notice-placeholders">
          <Typography.Title level={3} id="notice-placeholders" style={{ fontSize: 16 }}>
            {t("customerNotices.placeholders")}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {t("customerNotices.placeholdersHelp")}
          </Typography.Paragraph>
          <Flex wrap gap={8}>
            {template.variables.map((name) => (
              <Button
                key={name}
                size="small"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => insert(name)}
                aria-label={t("customerNotices.insert", { name: placeholder(name) })}
                title={t(`customerNotices.variables.${name}`, { defaultValue: name })}
              >
                <code>{placeholder(name)}</code>
              </Button>
            ))}
          </Flex>
        </section>
        <section aria-labelledby="notice-preview" style={{ marginTop: 24 }}>
          <Typography.Title level={3} id="notice-preview" style={{ fontSize: 16 }}>
            {t("customerNotices.preview")}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {t("customerNotices.previewHelp")}
          </Typography.Paragraph>
          <Card size="small" data-testid="notice-preview">
            <Typography.Paragraph strong style={{ overflowWrap: "anywhere" }}>
              {shown.subject}
            </Typography.Paragraph>
            <div style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", margin: 0 }}>
              {shown.body}
            </div>
          </Card>
        </section>
      </Col>
    </Row>
  );
}

function Templates() {
  const { t } = useTranslation("settings");
  const templates = useNoticeTemplates();
  const [kind, setKind] = useState<NoticeKind>("payment_reminder");
  const [language, setLanguage] = useState<NoticeLanguage>("zh-CN");
  if (templates.isPending) return <Skeleton active />;
  if (templates.error || !templates.data)
    return <QueryError error={templates.error} onRetry={() => void templates.refetch()} />;
  const template = templates.data.find((item) => item.kind === kind && item.language === language);
  return (
    <Flex vertical gap={16}>
      <Flex wrap gap={16} align="flex-end">
        <Flex vertical gap={4}>
          <label htmlFor="notice-kind">{t("customerNotices.kind")}</label>
          <Select<NoticeKind>
            id="notice-kind"
            value={kind}
            onChange={setKind}
            style={{ width: 220, maxWidth: "100%" }}
            options={NOTICE_KINDS.map((value) => ({
              value,
              label: t(`customerNotices.kinds.${value}`),
            }))}
          />
        </Flex>
        <Flex vertical gap={4}>
          <span id="notice-language">{t("customerNotices.language")}</span>
          <Segmented<NoticeLanguage>
            aria-labelledby="notice-language"
            value={language}
            onChange={setLanguage}
            options={NOTICE_LANGUAGES.map((value) => ({
              value,
              label: t(`customerNotices.languages.${value}`),
            }))}
          />
        </Flex>
        {template && (
          <Tag color={template.default ? "default" : "blue"}>
            {template.default ? t("customerNotices.default") : t("customerNotices.custom")}
          </Tag>
        )}
      </Flex>
      {template ? (
        <TemplateEditor
          key={`${template.kind}/${template.language}/${template.version}`}
          template={template}
          reloading={templates.isFetching}
          onReload={() => void templates.refetch()}
        />
      ) : (
        <Alert type="error" showIcon title={t("customerNotices.missing")} />
      )}
    </Flex>
  );
}

export function CustomerNoticesPage() {
  const { t } = useTranslation("settings");
  const settings = useNoticeSettings();
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("customerNotices.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("customerNotices.intro")}
      </Typography.Paragraph>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("customerNotices.steps")}</h2>}>
        {settings.isPending ? (
          <Skeleton active />
        ) : settings.error || !settings.data ? (
          <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <StepsForm
            key={settings.data.version}
            settings={settings.data}
            reloading={settings.isFetching}
            onReload={() => void settings.refetch()}
          />
        )}
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("customerNotices.templates")}</h2>}>
        <Templates />
      </Card>
    </Flex>
  );
}
