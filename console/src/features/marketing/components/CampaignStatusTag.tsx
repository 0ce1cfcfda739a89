import { Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { CampaignStatus } from "../api/campaigns";
import { STATUS_COLOURS } from "../lib/lifecycle";

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation("marketing");
  return <Tag color={STATUS_COLOURS[status]}>{t(`status.${status}`)}</Tag>;
}
