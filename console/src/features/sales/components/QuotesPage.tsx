/** Quotes (S-7): number, customer, status, current revision and its total. */
import { Alert, Flex, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { PAGE_SIZE, type Quote, useQuotes } from "../api/documents";
import { QUOTE_COLOR } from "../lib/colors";
import { CustomerLink } from "./CustomerLink";

function currentTotal(quote: Quote): string | undefined {
  return quote.revisions.find((revision) => revision.number === quote.current_revision)?.totals
    .total;
}

export function QuotesPage() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const [offset, setOffset] = useState(0);
  const quotes = useQuotes(offset);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("quotes.title")}
      </Typography.Title>
      {quotes.error && <Alert type="error" showIcon title={errorText(t, quotes.error)} />}
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
            render: (_, quote) => (
              <Tag color={QUOTE_COLOR[quote.status]}>{t(`quoteStatus.${quote.status}`)}</Tag>
            ),
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
            render: (_, quote) =>
              quote.opportunity_id ? (
                <Link to={`/sales/opportunities/${quote.opportunity_id}`}>
                  {t("leads.openOpportunity")}
                </Link>
              ) : (
                "—"
              ),
          },
          {
            key: "updated",
            title: t("fields.updated_at"),
            render: (_, quote) => format.dateTime(quote.updated_at),
          },
        ]}
      />
    </Flex>
  );
}
