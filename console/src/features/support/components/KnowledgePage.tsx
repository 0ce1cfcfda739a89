import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Pagination,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";

import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { type Article, useArticleSearch, useArticles } from "../api/knowledge";
import { useErrorText } from "../lib/hooks";

const PAGE_SIZE = 20;

function ArticleCard({ article }: { article: Article }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const excerpt = article.body.length > 200 ? `${article.body.slice(0, 200)}…` : article.body;
  return (
    <Card size="small" role="listitem">
      <Flex vertical gap={4}>
        <Link to={article.id}>
          <Typography.Text strong style={{ color: "inherit", fontSize: 15 }}>
            {article.title}
          </Typography.Text>
        </Link>
        <Space wrap size={4}>
          <Tag>{article.category}</Tag>
          {article.status !== "published" && <Tag>{t(`knowledge.status.${article.status}`)}</Tag>}
          {article.tags.map((tag) => (
            <Typography.Text key={tag} type="secondary">
              #{tag}
            </Typography.Text>
          ))}
          <Typography.Text type="secondary">
            {t("knowledge.updated", { at: format.date(article.updated_at) })}
          </Typography.Text>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: "pre-wrap" }}>
          {excerpt}
        </Typography.Paragraph>
      </Flex>
    </Card>
  );
}

/** The knowledge base: a relevance-ranked search over published articles, or every
 * article newest first (drafts too, for those who write them). */
export function KnowledgePage() {
  const { t } = useTranslation("support");
  const navigate = useNavigate();
  const { can } = useSession();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const writer = can("knowledge:write");
  const list = useArticles((page - 1) * PAGE_SIZE, PAGE_SIZE, writer ? undefined : "published");
  const search = useArticleSearch(q);
  const articles = q ? search.data?.map((hit) => hit.article) : list.data?.items;
  const current = q ? search : list;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("knowledge.title")}
        </Typography.Title>
        <Can permission="knowledge:write">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate("new")}>
            {t("knowledge.new")}
          </Button>
        </Can>
      </Flex>
      <Input.Search
        aria-label={t("knowledge.search")}
        placeholder={t("knowledge.searchPlaceholder")}
        defaultValue={q}
        allowClear
        enterButton={t("knowledge.searchButton")}
        style={{ maxWidth: 560 }}
        maxLength={500}
        onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {}, { replace: true })}
      />
      {current.error && <Alert type="error" showIcon title={errorText(current.error)} />}
      <Spin spinning={current.isFetching}>
        <Flex vertical gap={8}>
          {q && (
            <Typography.Text type="secondary">
              {t("knowledge.results", { count: articles?.length ?? 0, q })}
            </Typography.Text>
          )}
          {articles?.length === 0 && (
            <Empty description={q ? t("knowledge.noResults") : t("knowledge.empty")} />
          )}
          <Flex vertical gap={8} role="list" aria-label={t("knowledge.title")}>
            {articles?.map((article) => (
              <ArticleCard key={article.id} article={article} />
            ))}
          </Flex>
          {!q && (list.data?.total ?? 0) > PAGE_SIZE && (
            <Pagination
              current={page}
              pageSize={PAGE_SIZE}
              total={list.data?.total ?? 0}
              showSizeChanger={false}
              onChange={(next) => setParams({ page: String(next) }, { replace: true })}
            />
          )}
        </Flex>
      </Spin>
    </Flex>
  );
}
