import { Card, Descriptions, Empty, Flex, Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/lib/i18n/format";

import { type Ticket, useTicketContext } from "../api/tickets";

import { CardTitle } from "./CardTitle";
import { RequesterLink } from "./RequesterLink";
import { StatusTag } from "./Tags";

/** Beside the ticket: who the customer is (name, tier, recent history), or for a ticket
 * without one who wrote and the linking of it; their other recent tickets, and the
 * knowledge articles most relevant to this ticket (T-5). */
export function CustomerContext({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const { data, isLoading } = useTicketContext(ticket.id);
  if (isLoading) return <Skeleton active />;
  const customer = data?.customer;
  return (
    <Flex vertical gap={16}>
      <Card size="small" title={<CardTitle>{t("context.customer")}</CardTitle>}>
        {customer ? (
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: "name", label: t("context.name"), children: customer.name ?? "—" },
              {
                key: "tier",
                label: t("context.tier"),
                children: <Tag>{t(`tier.${customer.tier}`)}</Tag>,
              },
              ...customer.history.slice(0, 5).map((entry) => ({
                key: entry.entry_id,
                label: format.date(entry.occurred_at),
                children:
                  entry.summary ??
                  t(`context.history.${entry.kind === "order" ? "order" : "interaction"}`),
              })),
            ]}
          />
        ) : ticket.customer_id ? (
          <Typography.Text type="secondary">{t("context.customerUnknown")}</Typography.Text>
        ) : (
          <RequesterLink ticket={ticket} match={data?.requester_match ?? null} />
        )}
      </Card>
      <Card size="small" title={<CardTitle>{t("context.recent")}</CardTitle>}>
        {data?.recent_tickets.length ? (
          <Flex vertical gap={6} role="list">
            {data.recent_tickets.map((other) => (
              <Flex key={other.id} justify="space-between" gap={8} role="listitem">
                <Link to={`../${other.id}`} relative="path">
                  {other.reference} · {other.subject}
                </Link>
                <StatusTag status={other.status} />
              </Flex>
            ))}
          </Flex>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("context.noRecent")} />
        )}
      </Card>
      <Card size="small" title={<CardTitle>{t("context.articles")}</CardTitle>}>
        {data?.suggested_articles.length ? (
          <Flex vertical gap={6} role="list">
            {data.suggested_articles.map((article) => (
              <span key={article.id} role="listitem">
                <Link to={`/support/knowledge/${article.id}`}>{article.title}</Link>{" "}
                <Typography.Text type="secondary">({article.category})</Typography.Text>
              </span>
            ))}
          </Flex>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("context.noArticles")} />
        )}
      </Card>
    </Flex>
  );
}
