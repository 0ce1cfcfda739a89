import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
} from "@ant-design/icons";
import { Tag } from "antd";
import { useTranslation } from "react-i18next";

import { useDuration } from "../lib/hooks";
import { GREEN, RED } from "../lib/lifecycle";
import { clockState, type SlaClock } from "../lib/sla";

/** One SLA clock in words: time left, overdue, met, breached or paused. A breach is red
 * with an icon and says so in words, never by colour alone. */
export function SlaClockText({ clock, now }: { clock: SlaClock; now: number }) {
  const { t } = useTranslation("support");
  const duration = useDuration();
  const state = clockState(clock, now);
  switch (state.kind) {
    case "running":
      return (
        <Tag
          icon={state.warned ? <ExclamationCircleOutlined /> : <ClockCircleOutlined />}
          data-sla="running"
        >
          {t(state.warned ? "sla.soon" : "sla.left", { time: duration(state.secondsLeft) })}
        </Tag>
      );
    case "overdue":
      return (
        <Tag variant="solid" color={RED} icon={<ExclamationCircleOutlined />} data-sla="breached">
          {t("sla.overdue", { time: duration(state.secondsOver) })}
        </Tag>
      );
    case "breached":
      return (
        <Tag variant="solid" color={RED} icon={<ExclamationCircleOutlined />} data-sla="breached">
          {t("sla.breached")}
        </Tag>
      );
    case "met":
      return (
        <Tag variant="solid" color={GREEN} icon={<CheckCircleOutlined />} data-sla="met">
          {t("sla.met")}
        </Tag>
      );
    case "paused":
      return <Tag data-sla="paused">{t("sla.paused")}</Tag>;
  }
}
