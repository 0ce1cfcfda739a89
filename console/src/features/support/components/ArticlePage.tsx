import { ArrowLeftOutlined, EditOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Result, Skeleton, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { useArticle } from "../api/knowledge";
import { useErrorText } from "../lib/hooks";

/** One article to read; its writers may edit it. */
export function ArticlePage() {
  const { t } = useTranslation(["support", "common"]);
  const { articleId } = useParams();
  const navigate = useNavigate();
  const format = useFormat();
  const errorText = useErrorText();
  const { data: article, error, isLoading } = useArticle(articleId);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ alignSelf: "flex-start", padding: 0 }}
      onClick={() => void navigate("/support/knowledge")}
    >
      {t("knowledge.back")}
    </Button>
  );
  if (isLoading) return <Skeleton active />;
  if (error || !article) return <Result status="error" title={errorText(error)} extra={back} />;
  return (
    <Flex vertical gap={12}>
      {back}
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {article.title}
        </Typography.Title>
        <Can permission="knowledge:write">
          <Button icon={<EditOutlined />} onClick={() => void navigate("edit")}>
            {t("actions.edit", { ns: "common" })}
          </Button>
        </Can>
      </Flex>
      <Space wrap size={4}>
        <Tag>{article.category}</Tag>
        <Tag>{t(`knowledge.status.${article.status}`)}</Tag>
        {article.tags.map((tag) => (
          <Typography.Text key={tag} type="secondary">
            #{tag}
          </Typography.Text>
        ))}
        <Typography.Text type="secondary">
          {t("knowledge.updated", { at: format.dateTime(article.updated_at) })}
        </Typography.Text>
      </Space>
      <Card>
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>
          {article.body}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
