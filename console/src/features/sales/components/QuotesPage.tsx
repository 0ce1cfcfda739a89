/** Quotes (S-7): number, customer, status, current revision and its total; a list of
 * cards on a phone, as the ticket queue has, so no column is squeezed. */
import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Pagination,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { PAGE_SIZE, type Quote, useQuotes } from "../api/documents";
import { QUOTE_COLOR } from "../lib/colors";
import { CustomerLink } from "./CustomerLink";
import { QuoteCreateDrawer } from "./QuoteCreateDrawer";

function currentTotal(quote: Quote): string | undefined {
  return quote.revisions.find((revision) => revision.number === quote.current_revision)?.totals
    .total;
}

export function QuotesPage() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const [offset, setOffset] = useState(0);
  const quotes = useQuotes(offset);
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const phone = !Grid.useBreakpoint().md;
  const opportunityLink = (quote: Quote) =>
    quote.opportunity_id ? (
      <Link to={`/sales/opportunities/${quote.opportunity_id}`}>{t("leads.openOpportunity")}</Link>
    ) : (
      "—"
    );
  const status = (quote: Quote) => (
    <Tag color={QUOTE_COLOR[quote.status]}>{t(`quoteStatus.${quote.status}`)}</Tag>
  );
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("quotes.title")}
        </Typography.Title>
        {can("sales:write") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("newQuote.action")}
          </Button>
        )}
      </Flex>
      {quotes.error && <Alert type="error" showIcon title={errorText(t, quotes.error)} />}
      {phone ? (
        <Spin spinning={quotes.isFetching}>
          <Flex vertical gap={8}>
            {quotes.data?.items.length === 0 && <Empty />}
            <Flex vertical gap={8} role="list" aria-label={t("quotes.title")}>
              {quotes.data?.items.map((quote) => (
                <Card key={quote.quote_id} size="small" role="listitem">
                  <Flex vertical gap={6}>
                    <Flex justify="space-between" align="center" gap={8} wrap>
                      <Link to={`/sales/quotes/${quote.quote_id}`}>
                        <Typography.Text strong style={{ color: "inherit" }}>
                          {quote.quote_number}
                        </Typography.Text>
                      </Link>
                      {status(quote)}
                    </Flex>
                    <CustomerLink customerId={quote.customer_id} name={quote.customer_name} />
                    <Typography.Text>
                      {t("quotes.total")} {format.money(currentTotal(quote), quote.currency)}
                      {" · "}
                      {t("quote.revisionOption", { revision: quote.current_revision })}
                    </Typography.Text>
                    <Flex justify="space-between" gap={8} wrap>
                      <Typography.Text type="secondary">
                        {format.dateTime(quote.updated_at)}
                      </Typography.Text>
                      {opportunityLink(quote)}
                    </Flex>
                  </Flex>
                </Card>
              ))}
            </Flex>
            <Pagination
              simple
              current={offset / PAGE_SIZE + 1}
              pageSize={PAGE_SIZE}
              total={quotes.data?.total ?? 0}
              onChange={(page) => setOffset((page - 1) * PAGE_SIZE)}
            />
          </Flex>
        </Spin>
      ) : (
        <Table<Quote>
          rowKey="quote_id"
          loading={quotes.isFetching}
          dataSource={quotes.data?.items ?? []}
          scroll={{ x: true }}
          pagination={{
            current: offset / PAGE_SIZE + 1,
            pageSize: PAGE_SIZE,
            total: quotes.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => setOffset((page - 1) * PAGE_SIZE),
          }}
          columns={[
            {
              key: "number",
              title: t("quotes.number"),
              render: (_, quote) => (
                <Link to={`/sales/quotes/${quote.quote_id}`}>{quote.quote_number}</Link>
              ),
            },
            {
              key: "customer",
              title: t("fields.customer"),
              render: (_, quote) => (
                <CustomerLink customerId={quote.customer_id} name={quote.customer_name} />
              ),
            },
            {
              key: "status",
              title: t("leadFields.status"),
              render: (_, quote) => status(quote),
            },
            {
              key: "revision",
              title: t("quotes.revision"),
              render: (_, quote) => format.number(quote.current_revision),
            },
            {
              key: "total",
              title: t("quotes.total"),
              render: (_, quote) => format.money(currentTotal(quote), quote.currency),
            },
            {
              key: "opportunity",
              title: t("tasks.opportunity"),
              render: (_, quote) => opportunityLink(quote),
            },
            {
              key: "updated",
              title: t("fields.updated_at"),
              render: (_, quote) => format.dateTime(quote.updated_at),
            },
          ]}
        />
      )}
      {creating && <QuoteCreateDrawer onClose={() => setCreating(false)} />}
    </Flex>
  );
}
