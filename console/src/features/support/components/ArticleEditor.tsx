import { Alert, App, Button, Flex, Form, Input, Select, Skeleton, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import type { Schemas } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";

import { type ArticleIn, useArticle, useSaveArticle } from "../api/knowledge";
import { usePlaceErrors } from "../lib/hooks";

const STATUSES: Schemas["ArticleStatus"][] = ["draft", "published", "archived"];

/** Writes a new article or edits one; an edit sends the version read, and when someone
 * saved meanwhile, their version is loaded and the person is told. */
export function ArticleEditor() {
  const { t } = useTranslation(["support", "common"]);
  const { articleId } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<ArticleIn>();
  const existing = useArticle(articleId);
  const save = useSaveArticle();
  const placeErrors = usePlaceErrors();
  const [problem, setProblem] = useState<string | null>(null);
  const article = existing.data;

  useEffect(() => {
    if (article) form.setFieldsValue(article);
  }, [article, form]);

  const submit = async (values: ArticleIn) => {
    setProblem(null);
    try {
      const saved = await save.mutateAsync({
        body: values,
        id: article?.id,
        version: article?.version,
      });
      void message.success(t("knowledge.saved"));
      void navigate(`/support/knowledge/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        const fresh = await existing.refetch();
        if (fresh.data) form.setFieldsValue(fresh.data);
      }
      setProblem(placeErrors(form, error));
    }
  };

  if (articleId && existing.isLoading) return <Skeleton active />;
  return (
    <Flex vertical gap={12} style={{ maxWidth: 860 }}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {articleId ? t("knowledge.editTitle") : t("knowledge.newTitle")}
      </Typography.Title>
      {problem && <Alert type="error" showIcon title={problem} />}
      <Form<ArticleIn>
        form={form}
        name="article"
        layout="vertical"
        initialValues={{ status: "draft", tags: [] }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="title"
          label={t("knowledge.fields.title")}
          rules={[{ required: true, whitespace: true, message: t("knowledge.fields.required") }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="category"
            label={t("knowledge.fields.category")}
            rules={[{ required: true, whitespace: true, message: t("knowledge.fields.required") }]}
            style={{ flex: "1 1 200px" }}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="status"
            label={t("knowledge.fields.status")}
            style={{ flex: "1 1 160px" }}
          >
            <Select
              options={STATUSES.map((status) => ({
                value: status,
                label: t(`knowledge.status.${status}`),
              }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="tags"
          label={t("knowledge.fields.tags")}
          extra={t("knowledge.fields.tagsHelp")}
        >
          <Select mode="tags" tokenSeparators={[",", "，"]} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t("knowledge.fields.body")}
          rules={[{ required: true, whitespace: true, message: t("knowledge.fields.required") }]}
        >
          <Input.TextArea rows={14} maxLength={100000} />
        </Form.Item>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("actions.save", { ns: "common" })}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t("actions.cancel", { ns: "common" })}</Button>
        </Flex>
      </Form>
    </Flex>
  );
}
