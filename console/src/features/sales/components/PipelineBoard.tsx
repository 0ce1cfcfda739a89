/**
 * The pipeline board (S-5): a column per stage with its count, total and weighted
 * amount; deals are dragged between columns (pointer, touch or keyboard) or moved
 * with each card's menu, which is how it works on a phone. "Stalled only" (kept in the
 * address as `?stalled=1`, so home can link to it) shows the deals the sales service
 * marked stalled.
 */
import {
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  Alert,
  Card,
  Checkbox,
  Empty,
  Flex,
  Grid,
  Select,
  Skeleton,
  Statistic,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Opportunity, useBoardOpportunities } from "../api/opportunities";
import { type Stage, usePipelines } from "../api/pipelines";
import { totalsOf } from "../lib/totals";
import { useOwnerName } from "../lib/useOwnerName";
import { useStageName } from "../lib/useStageName";
import { DealCard, DealSummary } from "./DealCard";
import { useStageMove } from "./useStageMove";

interface ColumnProps {
  stage: Stage;
  deals: Opportunity[];
  phone: boolean;
  children: React.ReactNode;
  title: string;
}

function Column({ stage, deals, phone, title, children }: ColumnProps) {
  const { t } = useTranslation("sales");
  const format = useFormat();
  const { setNodeRef, isOver } = useDroppable({ id: stage.key });
  const totals = totalsOf(deals);
  const headingId = `stage-${stage.key}`;
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      style={{
        flex: phone ? "1 1 auto" : "0 0 220px",
        background: isOver ? "#e6f0ff" : "#f5f5f5",
        border: isOver ? "1px dashed #1360d6" : "1px solid #f0f0f0",
        borderRadius: 8,
        padding: 8,
        minHeight: phone ? undefined : 360,
      }}
    >
      <Typography.Title level={2} id={headingId} style={{ fontSize: 15, margin: 0 }}>
        {title}
      </Typography.Title>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: "block" }}>
        {t("board.columnCount", { n: totals.count, probability: stage.probability })}
      </Typography.Text>
      <Typography.Text style={{ fontSize: 12, display: "block" }}>
        {t("board.columnTotal", { amount: format.money(totals.amount) })}
      </Typography.Text>
      <Typography.Text style={{ fontSize: 12, display: "block", marginBottom: 8 }}>
        {t("board.columnWeighted", { amount: format.money(totals.weighted) })}
      </Typography.Text>
      <Flex vertical gap={8}>
        {children}
      </Flex>
    </section>
  );
}

export function PipelineBoard() {
  const { t } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const pipelines = usePipelines();
  const [chosen, setChosen] = useState<string>();
  const [params, setParams] = useSearchParams();
  const stalledOnly = params.get("stalled") === "1";
  const showStalledOnly = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set("stalled", "1");
    else next.delete("stalled");
    setParams(next, { replace: true });
  };
  const pipeline =
    pipelines.data?.find((item) => item.pipeline_id === chosen) ??
    pipelines.data?.find((item) => item.pipeline_id === "default") ??
    pipelines.data?.[0];
  const deals = useBoardOpportunities(pipeline?.pipeline_id, stalledOnly);
  const stageName = useStageName(pipeline?.stages);
  const ownerName = useOwnerName((deals.data?.items ?? []).map((deal) => deal.owner_id));
  const { move, moving, dialog } = useStageMove(stageName);
  const [dragged, setDragged] = useState<Opportunity | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor),
  );

  const byStage = useMemo(() => {
    const groups = new Map<string, Opportunity[]>();
    for (const deal of deals.data?.items ?? []) {
      groups.set(deal.stage, [...(groups.get(deal.stage) ?? []), deal]);
    }
    return groups;
  }, [deals.data]);
  const openTotals = totalsOf((deals.data?.items ?? []).filter((deal) => deal.status === "open"));

  const onDragStart = ({ active }: DragStartEvent) =>
    setDragged((active.data.current?.opportunity as Opportunity | undefined) ?? null);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragged(null);
    const opportunity = active.data.current?.opportunity as Opportunity | undefined;
    if (opportunity && over) move(opportunity, String(over.id));
  };
  const dealName = (id: string | number) =>
    deals.data?.items.find((deal) => deal.opportunity_id === id)?.name ?? "";
  const columnName = (id: string | number | undefined) => (id ? stageName(String(id)) : "");

  const error = pipelines.error ?? deals.error;
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("board.title")}
        </Typography.Title>
        <Flex align="center" wrap gap={12}>
          <Checkbox
            checked={stalledOnly}
            onChange={(event) => showStalledOnly(event.target.checked)}
          >
            {t("board.stalledOnly")}
          </Checkbox>
          {(pipelines.data?.length ?? 0) > 1 && (
            <Select
              aria-label={t("board.pipeline")}
              value={pipeline?.pipeline_id}
              onChange={setChosen}
              style={{ minWidth: 200 }}
              options={pipelines.data?.map((item) => ({
                value: item.pipeline_id,
                label: item.name,
              }))}
            />
          )}
        </Flex>
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      {stalledOnly && deals.data && (
        <Alert
          type="warning"
          showIcon
          title={t("board.stalledShown", { count: deals.data.total })}
        />
      )}
      <Flex gap={24} wrap>
        <Statistic title={t("board.openCount")} value={openTotals.count} />
        <Statistic title={t("board.openAmount")} value={format.money(openTotals.amount)} />
        <Statistic title={t("board.openWeighted")} value={format.money(openTotals.weighted)} />
      </Flex>
      {(deals.data?.total ?? 0) > (deals.data?.items.length ?? 0) && (
        <Alert
          type="info"
          showIcon
          title={t("board.truncated", { shown: deals.data?.items.length })}
        />
      )}
      {!pipeline || deals.isPending ? (
        <Skeleton active />
      ) : (
        <DndContext
          sensors={sensors}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          onDragCancel={() => setDragged(null)}
          accessibility={{
            screenReaderInstructions: { draggable: t("dnd.instructions") },
            announcements: {
              onDragStart: ({ active }) => t("dnd.picked", { name: dealName(active.id) }),
              onDragOver: ({ active, over }) =>
                over
                  ? t("dnd.over", { name: dealName(active.id), stage: columnName(over.id) })
                  : t("dnd.outside", { name: dealName(active.id) }),
              onDragEnd: ({ active, over }) =>
                over
                  ? t("dnd.dropped", { name: dealName(active.id), stage: columnName(over.id) })
                  : t("dnd.cancelled", { name: dealName(active.id) }),
              onDragCancel: ({ active }) => t("dnd.cancelled", { name: dealName(active.id) }),
            },
          }}
        >
          <Flex
            vertical={phone}
            gap={12}
            style={{ overflowX: phone ? undefined : "auto", paddingBottom: 8 }}
          >
            {pipeline.stages.map((stage) => {
              const inStage = byStage.get(stage.key) ?? [];
              return (
                <Column
                  key={stage.key}
                  stage={stage}
                  deals={inStage}
                  phone={phone}
                  title={stageName(stage.key)}
                >
                  {inStage.length === 0 && !phone && (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("board.empty")} />
                  )}
                  {inStage.map((deal) => (
                    <DealCard
                      key={deal.opportunity_id}
                      opportunity={deal}
                      stages={pipeline.stages}
                      stageName={stageName}
                      ownerName={ownerName}
                      canMove={can("sales:write")}
                      draggable={!phone}
                      busy={moving === deal.opportunity_id}
                      onMove={move}
                    />
                  ))}
                </Column>
              );
            })}
          </Flex>
          <DragOverlay>
            {dragged && (
              <Card size="small" style={{ width: 204, boxShadow: "0 6px 16px rgba(0,0,0,0.16)" }}>
                <Typography.Text strong>{dragged.name}</Typography.Text>
                <DealSummary opportunity={dragged} ownerName={ownerName} />
              </Card>
            )}
          </DragOverlay>
        </DndContext>
      )}
      {dialog}
    </Flex>
  );
}
