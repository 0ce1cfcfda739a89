import { Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { Schemas } from "@/lib/api/client";

import { PRIORITY_COLOURS, STATUS_COLOURS } from "../lib/lifecycle";

export function StatusTag({ status }: { status: Schemas["TicketStatus"] }) {
  const { t } = useTranslation("support");
  return (
    <Tag variant="solid" color={STATUS_COLOURS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: Schemas["Priority"] }) {
  const { t } = useTranslation("support");
  return (
    <Tag variant="solid" color={PRIORITY_COLOURS[priority]}>
      {t(`priority.${priority}`)}
    </Tag>
  );
}
