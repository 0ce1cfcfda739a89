/** One quote (S-7): each revision's lines, discounts and totals, the revision history,
 * a new revision, status moves, negotiation notes and the PDF of any revision. */
import {
  ArrowLeftOutlined,
  DownOutlined,
  DownloadOutlined,
  PlusOutlined,
  ShoppingCartOutlined,
} from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Flex,
  Grid,
  Input,
  List,
  Select,
  Skeleton,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { PersonName } from "@/components/PersonName";
import { errorText } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import type { Quote } from "../api/documents";
import { downloadQuotePdf, useQuote, useQuoteNote, useQuoteStatus } from "../api/quotes";
import { QUOTE_COLOR } from "../lib/colors";
import { NEXT_QUOTE_STATUS, type QuoteStatus } from "../lib/documentFlow";
import { lineAmount } from "../lib/pricing";
import { CustomerLink } from "./CustomerLink";
import { PlaceOrderModal } from "./PlaceOrderModal";
import { RevisionDrawer } from "./RevisionDrawer";

type Revision = Quote["revisions"][number];
type Line = Revision["lines"][number];

function SectionTitle({ id, children }: { id: string; children: string }) {
  return (
    <h2 id={id} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </h2>
  );
}

function RevisionCard({ quote, revision }: { quote: Quote; revision: Revision }) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const phone = !Grid.useBreakpoint().md;
  const money = (amount: string) => format.money(amount, quote.currency);
  const percent = (value: string) => format.percent(Number(value) / 100, 2);
  const { totals } = revision;
  return (
    <Flex vertical gap={12}>
      {phone ? (
        <Flex vertical gap={8} role="list" aria-label={t("quote.lines")}>
          {revision.lines.map((line, index) => (
            <Card key={index} size="small" role="listitem">
              <Flex vertical gap={4}>
                <Flex justify="space-between" gap={8} wrap>
                  <Typography.Text strong>{line.product}</Typography.Text>
                  <Typography.Text strong>{money(lineAmount(line))}</Typography.Text>
                </Flex>
                {line.description && (
                  <Typography.Text type="secondary">{line.description}</Typography.Text>
                )}
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    {
                      key: "quantity",
                      label: t("quote.quantity"),
                      children: format.number(Number(line.quantity), 3),
                    },
                    {
                      key: "unit_price",
                      label: t("quote.unitPrice"),
                      children: money(line.unit_price),
                    },
                    {
                      key: "discount",
                      label: t("quote.lineDiscount"),
                      children: percent(line.discount_percent),
                    },
                  ]}
                />
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : (
        <Table<Line>
          rowKey={(_, index) => String(index)}
          dataSource={revision.lines}
          pagination={false}
          size="small"
          scroll={{ x: true }}
          columns={[
            { key: "product", title: t("quote.product"), dataIndex: "product" },
            {
              key: "description",
              title: t("quote.description"),
              render: (_, line) => line.description ?? "—",
            },
            {
              key: "quantity",
              title: t("quote.quantity"),
              align: "right",
              render: (_, line) => format.number(Number(line.quantity), 3),
            },
            {
              key: "unit_price",
              title: t("quote.unitPrice"),
              align: "right",
              render: (_, line) => money(line.unit_price),
            },
            {
              key: "discount",
              title: t("quote.lineDiscount"),
              align: "right",
              render: (_, line) => percent(line.discount_percent),
            },
            {
              key: "amount",
              title: t("quote.amount"),
              align: "right",
              render: (_, line) => money(lineAmount(line)),
            },
          ]}
        />
      )}
      <Descriptions
        size="small"
        bordered
        column={1}
        style={{ maxWidth: phone ? undefined : 420, marginLeft: phone ? undefined : "auto" }}
        items={[
          { key: "subtotal", label: t("quote.subtotal"), children: money(totals.subtotal) },
          {
            key: "discount",
            label: t("quote.discount", { percent: percent(revision.discount_percent) }),
            children: money(totals.discount),
          },
          { key: "taxable", label: t("quote.taxable"), children: money(totals.taxable) },
          {
            key: "tax",
            label: t("quote.tax", { percent: percent(revision.tax_rate_percent) }),
            children: money(totals.tax),
          },
          {
            key: "total",
            label: t("quotes.total"),
            children: <Typography.Text strong>{money(totals.total)}</Typography.Text>,
          },
        ]}
      />
      <Descriptions
        size="small"
        column={phone ? 1 : 2}
        items={[
          {
            key: "valid_until",
            label: t("quote.validUntil"),
            children: format.date(revision.valid_until),
          },
          {
            key: "created",
            label: t("quote.revisedBy"),
            children: (
              <>
                <time dateTime={revision.created_at}>{format.dateTime(revision.created_at)}</time>
                {" · "}
                <PersonName id={revision.created_by} />
              </>
            ),
          },
          ...(revision.terms_text
            ? [
                {
                  key: "terms",
                  label: t("quote.termsText"),
                  children: (
                    <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>
                      {revision.terms_text}
                    </Typography.Paragraph>
                  ),
                  span: phone ? 1 : 2,
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}

function Notes({ quote, writable }: { quote: Quote; writable: boolean }) {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const note = useQuoteNote(quote.quote_id);
  const add = () =>
    note.mutate(text.trim(), {
      onSuccess: () => {
        setText("");
        void message.success(t("quote.noteAdded"));
      },
      onError: (error) => void message.error(errorText(t, error)),
    });
  return (
    <section aria-labelledby="quote-notes">
      <Card size="small" title={<SectionTitle id="quote-notes">{t("quote.notes")}</SectionTitle>}>
        <List
          size="small"
          dataSource={[...quote.notes].reverse()}
          locale={{ emptyText: t("quote.noNotes") }}
          renderItem={(item) => (
            <List.Item>
              <Flex vertical>
                <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{item.text}</Typography.Text>
                <Typography.Text type="secondary">
                  <time dateTime={item.written_at}>{format.dateTime(item.written_at)}</time>
                  {" · "}
                  <PersonName id={item.author} />
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
        {writable && (
          <Flex vertical gap={8} style={{ marginTop: 8 }}>
            <Input.TextArea
              aria-label={t("quote.newNote")}
              placeholder={t("quote.newNote")}
              value={text}
              maxLength={4000}
              autoSize={{ minRows: 2 }}
              onChange={(event) => setText(event.target.value)}
            />
            <Button
              onClick={add}
              loading={note.isPending}
              disabled={!text.trim()}
              style={{ alignSelf: "flex-end" }}
            >
              {t("quote.addNote")}
            </Button>
          </Flex>
        )}
      </Card>
    </section>
  );
}

export function QuotePage() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const query = useQuote(id);
  const [shown, setShown] = useState<number | null>(null);
  const [revising, setRevising] = useState(false);
  const [ordering, setOrdering] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const status = useQuoteStatus({
    quote_id: id,
    version: query.data?.version ?? 0,
  });

  if (query.isPending) return <Skeleton active />;
  if (query.error || !query.data) {
    return <Alert type="error" showIcon title={errorText(t, query.error)} />;
  }
  const quote = query.data;
  const latest = quote.revisions.find((item) => item.number === quote.current_revision);
  const revision = quote.revisions.find((item) => item.number === shown) ?? latest;
  if (!latest || !revision) return <Alert type="error" showIcon title={errorText(t, null)} />;
  const writable = can("sales:write") && (quote.status === "draft" || quote.status === "sent");
  const orderable = can("sales:write") && quote.status === "accepted";

  const move = (next: QuoteStatus) =>
    status.mutate(next, {
      onSuccess: (moved) =>
        void message.success(
          t("quote.statusChanged", { status: t(`quoteStatus.${moved.status}`) }),
        ),
      onError: (error) => {
        void message.error(errorText(t, error));
        void query.refetch();
      },
    });

  const revisionButton = (item: Revision) => (
    <Button
      type="link"
      style={{ padding: 0 }}
      aria-current={item.number === revision.number ? "true" : undefined}
      onClick={() => setShown(item.number)}
    >
      {t("quote.revisionOption", { revision: item.number })}
    </Button>
  );

  const download = async () => {
    setDownloading(true);
    try {
      await downloadQuotePdf(quote, revision.number);
    } catch (error) {
      void message.error(errorText(t, error));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Link to="/sales/quotes">
        <ArrowLeftOutlined /> {t("quote.back")}
      </Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {t("quote.heading", { number: quote.quote_number })}
          </Typography.Title>
          <Tag color={QUOTE_COLOR[quote.status]}>{t(`quoteStatus.${quote.status}`)}</Tag>
        </Flex>
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()}>
            {t("quote.pdf", { revision: revision.number })}
          </Button>
          {orderable && (
            <Button
              type="primary"
              icon={<ShoppingCartOutlined />}
              onClick={() => setOrdering(true)}
            >
              {t("newOrder.action")}
            </Button>
          )}
          {writable && (
            <>
              <Dropdown
                trigger={["click"]}
                disabled={status.isPending}
                menu={{
                  items: NEXT_QUOTE_STATUS[quote.status].map((next) => ({
                    key: next,
                    label: t(`quoteMove.${next}`),
                  })),
                  onClick: ({ key }) => move(key as QuoteStatus),
                }}
              >
                <Button loading={status.isPending}>
                  {t("quote.changeStatus")} <DownOutlined />
                </Button>
              </Dropdown>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRevising(true)}>
                {t("quote.revise")}
              </Button>
            </>
          )}
        </Flex>
      </Flex>
      <Card>
        <Descriptions
          size="small"
          column={phone ? 1 : 3}
          items={[
            {
              key: "customer",
              label: t("fields.customer"),
              children: <CustomerLink customerId={quote.customer_id} name={quote.customer_name} />,
            },
            {
              key: "opportunity",
              label: t("tasks.opportunity"),
              children: quote.opportunity_id ? (
                <Link to={`/sales/opportunities/${quote.opportunity_id}`}>
                  {t("leads.openOpportunity")}
                </Link>
              ) : (
                "—"
              ),
            },
            {
              key: "owner",
              label: t("fields.owner"),
              children: <PersonName id={quote.owner_id} />,
            },
            {
              key: "current",
              label: t("quote.currentRevision"),
              children: format.number(quote.current_revision),
            },
            {
              key: "created",
              label: t("quote.created"),
              children: format.dateTime(quote.created_at),
            },
            {
              key: "updated",
              label: t("fields.updated_at"),
              children: format.dateTime(quote.updated_at),
            },
          ]}
        />
      </Card>
      <section aria-labelledby="quote-revision">
        <Card
          title={
            <SectionTitle id="quote-revision">
              {t("quote.revisionTitle", { revision: revision.number })}
            </SectionTitle>
          }
          extra={
            quote.revisions.length > 1 && (
              <Select
                aria-label={t("quote.showRevision")}
                value={revision.number}
                onChange={setShown}
                style={{ minWidth: 120 }}
                options={[...quote.revisions].reverse().map((item) => ({
                  value: item.number,
                  label: t("quote.revisionOption", { revision: item.number }),
                }))}
              />
            )
          }
        >
          <RevisionCard quote={quote} revision={revision} />
        </Card>
      </section>
      <section aria-labelledby="quote-history">
        <Card
          size="small"
          title={<SectionTitle id="quote-history">{t("quote.history")}</SectionTitle>}
        >
          {phone ? (
            <Flex vertical gap={8} role="list" aria-label={t("quote.history")}>
              {[...quote.revisions].reverse().map((item) => (
                <Card key={item.number} size="small" role="listitem">
                  <Flex justify="space-between" align="center" gap={8} wrap>
                    {revisionButton(item)}
                    <Typography.Text strong>
                      {format.money(item.totals.total, quote.currency)}
                    </Typography.Text>
                  </Flex>
                  <Typography.Text type="secondary">
                    <time dateTime={item.created_at}>{format.dateTime(item.created_at)}</time>
                    {" · "}
                    <PersonName id={item.created_by} />
                  </Typography.Text>
                </Card>
              ))}
            </Flex>
          ) : (
            <Table<Revision>
              rowKey="number"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={[...quote.revisions].reverse()}
              columns={[
                {
                  key: "number",
                  title: t("quotes.revision"),
                  render: (_, item) => revisionButton(item),
                },
                {
                  key: "created",
                  title: t("quote.revisedAt"),
                  render: (_, item) => (
                    <time dateTime={item.created_at}>{format.dateTime(item.created_at)}</time>
                  ),
                },
                {
                  key: "by",
                  title: t("quote.revisedByShort"),
                  render: (_, item) => <PersonName id={item.created_by} />,
                },
                {
                  key: "lines",
                  title: t("quote.lines"),
                  align: "right",
                  render: (_, item) => format.number(item.lines.length),
                },
                {
                  key: "total",
                  title: t("quotes.total"),
                  align: "right",
                  render: (_, item) => format.money(item.totals.total, quote.currency),
                },
              ]}
            />
          )}
        </Card>
      </section>
      <Notes quote={quote} writable={can("sales:write")} />
      {ordering && <PlaceOrderModal quote={quote} onClose={() => setOrdering(false)} />}
      {revising && (
        <RevisionDrawer
          quote={quote}
          revision={latest}
          onClose={() => setRevising(false)}
          onSaved={(saved) => {
            setRevising(false);
            setShown(saved.current_revision);
          }}
          onConflict={() => void query.refetch()}
        />
      )}
    </Flex>
  );
}
