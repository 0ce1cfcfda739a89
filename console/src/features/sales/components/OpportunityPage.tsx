/** One opportunity (S-5, S-11): its details, the stage it is in and how it got
 * there, since when it is stalled if it is, the predicted chance of winning, editing
 * and moving it. */
import { ArrowLeftOutlined, DownOutlined, EditOutlined, FileAddOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Flex,
  Grid,
  List,
  Progress,
  Skeleton,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { StalledTag } from "@/components/StalledTag";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { useDealQuotes } from "../api/documents";
import { type Opportunity, useOpportunity, usePrediction } from "../api/opportunities";
import { usePipeline, usePipelines } from "../api/pipelines";
import { QUOTE_COLOR, TAG } from "../lib/colors";
import { predictionShown } from "../lib/prediction";
import { useOwnerName } from "../lib/useOwnerName";
import { useStageName } from "../lib/useStageName";
import { CustomerLink } from "./CustomerLink";
import { OpportunityEdit } from "./OpportunityEdit";
import { QuoteCreateDrawer } from "./QuoteCreateDrawer";
import { useStageMove } from "./useStageMove";

const BAND_COLOR = { high: TAG.green, medium: TAG.gold, low: TAG.red } as const;
const STATUS_COLOR = { open: TAG.blue, won: TAG.green, lost: TAG.grey } as const;

function Prediction({ opportunity }: { opportunity: Opportunity }) {
  const { t } = useTranslation("sales");
  const format = useFormat();
  const prediction = usePrediction(opportunity.opportunity_id, opportunity.status === "open");
  if (opportunity.status !== "open") return null;
  if (prediction.isPending) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (!prediction.data) return null;
  const shown = predictionShown(prediction.data);
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("prediction.title")}</h2>}>
      <Flex align="center" gap={16} wrap>
        <Progress type="circle" size={72} percent={shown.dial} aria-label={t("prediction.title")} />
        <Flex vertical gap={4}>
          <Typography.Text>
            {t("prediction.probability", { value: format.percent(shown.ratio) })}
          </Typography.Text>
          <span>
            <Tag color={BAND_COLOR[prediction.data.band]}>
              {t(`prediction.band.${prediction.data.band}`)}
            </Tag>
          </span>
          <Typography.Text type="secondary">
            {t(`prediction.source.${prediction.data.source}`, {
              stage: format.percent(shown.stageRatio),
            })}
          </Typography.Text>
        </Flex>
      </Flex>
    </Card>
  );
}

/** The deal's quotes, each a link to its page, with its status and current total. */
function DealQuotes({ opportunity }: { opportunity: Opportunity }) {
  const { t } = useTranslation("sales");
  const format = useFormat();
  const quotes = useDealQuotes(opportunity.opportunity_id);
  return (
    <section aria-labelledby="deal-quotes">
      <Card
        size="small"
        title={
          <h2 id="deal-quotes" style={{ fontSize: 16, margin: 0 }}>
            {t("quotes.title")}
          </h2>
        }
      >
        <List
          size="small"
          loading={quotes.isPending}
          dataSource={quotes.data?.items ?? []}
          locale={{ emptyText: t("newQuote.none") }}
          renderItem={(quote) => {
            const current = quote.revisions.find((item) => item.number === quote.current_revision);
            return (
              <List.Item>
                <Flex justify="space-between" align="center" gap={8} wrap style={{ width: "100%" }}>
                  <Link to={`/sales/quotes/${quote.quote_id}`}>{quote.quote_number}</Link>
                  <Tag color={QUOTE_COLOR[quote.status]}>{t(`quoteStatus.${quote.status}`)}</Tag>
                  <Typography.Text>
                    {format.money(current?.totals.total, quote.currency)}
                  </Typography.Text>
                </Flex>
              </List.Item>
            );
          }}
        />
      </Card>
    </section>
  );
}

export function OpportunityPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const query = useOpportunity(id);
  usePipelines();
  const pipeline = usePipeline(query.data?.pipeline_id);
  const stageName = useStageName(pipeline?.stages);
  const ownerName = useOwnerName([
    query.data?.owner_id,
    ...(query.data?.stage_history ?? []).map((change) => change.changed_by),
  ]);
  const { move, moving, dialog } = useStageMove(stageName);
  const [editing, setEditing] = useState(false);
  const [quoting, setQuoting] = useState(false);

  if (query.isPending) return <Skeleton active />;
  if (query.error || !query.data) {
    return <Alert type="error" showIcon title={errorText(t, query.error)} />;
  }
  const opportunity = query.data;
  const writable = can("sales:write") && opportunity.status === "open";

  return (
    <Flex vertical gap={16}>
      <Link to="/sales/pipeline">
        <ArrowLeftOutlined /> {t("opportunity.back")}
      </Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {opportunity.name}
          </Typography.Title>
          <Tag color={STATUS_COLOR[opportunity.status]}>{t(`status.${opportunity.status}`)}</Tag>
          {opportunity.stalled_since && <StalledTag since={opportunity.stalled_since} />}
        </Flex>
        {writable && (
          <Flex gap={8} wrap>
            <Dropdown
              trigger={["click"]}
              disabled={moving !== null}
              menu={{
                items: (pipeline?.stages ?? [])
                  .filter((stage) => stage.key !== opportunity.stage)
                  .map((stage) => ({ key: stage.key, label: stageName(stage.key) })),
                onClick: ({ key }) => move(opportunity, key),
              }}
            >
              <Button
                loading={moving !== null}
                aria-label={t("card.moveAria", { name: opportunity.name })}
              >
                {t("card.move")} <DownOutlined />
              </Button>
            </Dropdown>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t("actions.edit", { ns: "common" })}
            </Button>
            <Button type="primary" icon={<FileAddOutlined />} onClick={() => setQuoting(true)}>
              {t("newQuote.action")}
            </Button>
          </Flex>
        )}
      </Flex>
      <Flex gap={16} vertical={phone} align="start">
        <Card style={{ flex: 2, width: phone ? "100%" : undefined }}>
          <Descriptions
            column={phone ? 1 : 2}
            size="small"
            items={[
              { key: "stage", label: t("fields.stage"), children: stageName(opportunity.stage) },
              ...(opportunity.stalled_since
                ? [
                    {
                      key: "stalled_since",
                      label: t("fields.stalled_since"),
                      children: (
                        <time dateTime={opportunity.stalled_since}>
                          {format.dateTime(opportunity.stalled_since)}
                        </time>
                      ),
                    },
                  ]
                : []),
              {
                key: "probability",
                label: t("fields.probability"),
                children: format.percent(Number(opportunity.probability) / 100),
              },
              {
                key: "customer",
                label: t("fields.customer"),
                children: (
                  <CustomerLink
                    customerId={opportunity.customer_id}
                    name={opportunity.customer_name}
                  />
                ),
              },
              { key: "owner", label: t("fields.owner"), children: ownerName(opportunity.owner_id) },
              {
                key: "amount",
                label: t("fields.amount"),
                children: format.money(opportunity.amount, opportunity.currency),
              },
              {
                key: "weighted",
                label: t("fields.weighted_amount"),
                children: format.money(opportunity.weighted_amount, opportunity.currency),
              },
              {
                key: "expected_close",
                label: t("fields.expected_close"),
                children: format.date(opportunity.expected_close),
              },
              { key: "product", label: t("fields.product"), children: opportunity.product ?? "—" },
              {
                key: "decision_maker",
                label: t("fields.decision_maker"),
                children: opportunity.decision_maker ?? "—",
              },
              {
                key: "contract_number",
                label: t("fields.contract_number"),
                children: opportunity.contract_number ?? "—",
              },
              {
                key: "needs",
                label: t("fields.needs"),
                children: opportunity.needs ?? "—",
                span: phone ? 1 : 2,
              },
              ...(opportunity.close_reason
                ? [{ key: "reason", label: t("fields.reason"), children: opportunity.close_reason }]
                : []),
              {
                key: "updated",
                label: t("fields.updated_at"),
                children: format.dateTime(opportunity.updated_at),
              },
            ]}
          />
        </Card>
        <Flex vertical gap={16} style={{ flex: 1, width: phone ? "100%" : undefined }}>
          <Prediction opportunity={opportunity} />
          <DealQuotes opportunity={opportunity} />
          <section aria-labelledby="stage-history">
            <Card
              size="small"
              title={
                <h2 id="stage-history" style={{ fontSize: 16, margin: 0 }}>
                  {t("opportunity.history")}
                </h2>
              }
            >
              <Timeline
                items={[...opportunity.stage_history].reverse().map((change) => ({
                  key: `${change.to_stage}-${change.changed_at}`,
                  content: (
                    <Flex vertical>
                      <Typography.Text>
                        {change.from_stage
                          ? t("opportunity.moved", {
                              from: stageName(change.from_stage),
                              to: stageName(change.to_stage),
                            })
                          : t("opportunity.opened", { to: stageName(change.to_stage) })}
                      </Typography.Text>
                      <Typography.Text type="secondary">
                        <time dateTime={change.changed_at}>
                          {format.dateTime(change.changed_at)}
                        </time>
                        {" · "}
                        {ownerName(change.changed_by)}
                      </Typography.Text>
                      {change.reason && <Typography.Text italic>{change.reason}</Typography.Text>}
                    </Flex>
                  ),
                }))}
              />
            </Card>
          </section>
        </Flex>
      </Flex>
      {quoting && <QuoteCreateDrawer deal={opportunity} onClose={() => setQuoting(false)} />}
      {editing && <OpportunityEdit opportunity={opportunity} onClose={() => setEditing(false)} />}
      {dialog}
    </Flex>
  );
}
