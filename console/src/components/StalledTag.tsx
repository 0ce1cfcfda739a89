/** "Stalled 3 days" on a deal the sales service marked stalled (its `stalled_since`),
 * with the exact moment in a tooltip that hover and keyboard focus both open. */
import { HourglassOutlined } from "@ant-design/icons";
import { Tag, Tooltip } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { wholeDaysSince } from "@/lib/elapsed";
import { useFormat } from "@/lib/i18n/format";

/** Dark enough for white text to meet WCAG AA. */
const STALLED_COLOR = "#ad4e00";

export function StalledTag({ since }: { since: string }) {
  const { t } = useTranslation("common");
  const format = useFormat();
  const [now] = useState(() => Date.now());
  return (
    <Tooltip
      title={t("stalled.since", { date: format.dateTime(since) })}
      trigger={["hover", "focus"]}
    >
      <Tag
        color={STALLED_COLOR}
        icon={<HourglassOutlined aria-hidden />}
        tabIndex={0}
        data-stalled-since={since}
        style={{ marginInlineEnd: 0 }}
      >
        {t("stalled.days", { count: wholeDaysSince(since, now) })}
      </Tag>
    </Tooltip>
  );
}
