/** A deal on the board: name (links to its page), customer, amount, owner, how long it
 * has been stalled if it is, a drag handle and the "move to stage" menu (the keyboard's
 * and the phone's way). */
import { useDraggable } from "@dnd-kit/core";
import { DownOutlined, HolderOutlined } from "@ant-design/icons";
import { Button, Card, Dropdown, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { StalledTag } from "@/components/StalledTag";
import { useFormat } from "@/lib/i18n/format";

import type { Opportunity } from "../api/opportunities";
import type { Stage } from "../api/pipelines";

interface Props {
  opportunity: Opportunity;
  stages: Stage[];
  stageName: (key: string) => string;
  ownerName: (ownerId: string | null | undefined) => string;
  canMove: boolean;
  draggable: boolean;
  busy: boolean;
  onMove: (opportunity: Opportunity, stage: string) => void;
}

export function DealSummary({ opportunity, ownerName }: Pick<Props, "opportunity" | "ownerName">) {
  const { t } = useTranslation("sales");
  const format = useFormat();
  return (
    <Flex vertical gap={2}>
      <Typography.Text type="secondary">
        {opportunity.customer_name || t("customer.unnamed")}
      </Typography.Text>
      <Typography.Text strong>
        {format.money(opportunity.amount, opportunity.currency)}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t("card.owner", { name: ownerName(opportunity.owner_id) })}
      </Typography.Text>
      {opportunity.stalled_since && (
        <span>
          <StalledTag since={opportunity.stalled_since} />
        </span>
      )}
    </Flex>
  );
}

export function DealCard({
  opportunity,
  stages,
  stageName,
  ownerName,
  canMove,
  draggable,
  busy,
  onMove,
}: Props) {
  const { t } = useTranslation("sales");
  const open = opportunity.status === "open";
  const movable = canMove && open;
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({
    id: opportunity.opportunity_id,
    data: { opportunity },
    disabled: !movable || !draggable || busy,
  });

  return (
    <article
      ref={setNodeRef}
      aria-label={opportunity.name}
      style={{ opacity: isDragging ? 0.4 : 1 }}
    >
      <Card size="small" styles={{ body: { padding: 10 } }}>
        <Flex justify="space-between" align="start" gap={4}>
          <Link to={`/sales/opportunities/${opportunity.opportunity_id}`}>
            <Typography.Text strong style={{ color: "inherit" }}>
              {opportunity.name}
            </Typography.Text>
          </Link>
          {movable && draggable && (
            <Button
              ref={setActivatorNodeRef}
              type="text"
              size="small"
              icon={<HolderOutlined />}
              style={{ cursor: "grab", touchAction: "none" }}
              {...attributes}
              {...listeners}
              aria-label={t("card.drag", { name: opportunity.name })}
            />
          )}
        </Flex>
        <DealSummary opportunity={opportunity} ownerName={ownerName} />
        {movable && (
          <Dropdown
            trigger={["click"]}
            disabled={busy}
            menu={{
              items: stages
                .filter((stage) => stage.key !== opportunity.stage)
                .map((stage) => ({ key: stage.key, label: stageName(stage.key) })),
              onClick: ({ key }) => onMove(opportunity, key),
            }}
          >
            <Button
              size="small"
              style={{ marginTop: 8 }}
              loading={busy}
              aria-label={t("card.moveAria", { name: opportunity.name })}
            >
              {t("card.move")} <DownOutlined />
            </Button>
          </Dropdown>
        )}
      </Card>
    </article>
  );
}
