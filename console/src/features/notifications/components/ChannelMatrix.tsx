/** Per kind, the channels it comes by: a row per kind, a checkbox per channel. */
import { Checkbox, Table } from "antd";
import { useTranslation } from "react-i18next";

import type { Channel } from "../api/preferences";
import type { Kind } from "../lib/kinds";

export const CHANNELS: Channel[] = ["console", "email"];

export function ChannelMatrix({
  kinds,
  value = {},
  onChange,
}: {
  kinds: Kind[];
  value?: Record<string, Channel[]>;
  onChange?: (value: Record<string, Channel[]>) => void;
}) {
  const { t } = useTranslation("notifications");
  const toggle = (kind: Kind, channel: Channel, on: boolean) => {
    const current = value[kind] ?? [];
    const next = on
      ? CHANNELS.filter((one) => one === channel || current.includes(one))
      : current.filter((one) => one !== channel);
    onChange?.({ ...value, [kind]: next });
  };

  return (
    <Table<{ kind: Kind }>
      data-testid="channel-matrix"
      size="small"
      pagination={false}
      rowKey="kind"
      dataSource={kinds.map((kind) => ({ kind }))}
      columns={[
        {
          title: t("preferences.kind"),
          dataIndex: "kind",
          render: (kind: Kind) => t(`kinds.${kind}`),
        },
        ...CHANNELS.map((channel) => ({
          title: t(`channels.${channel}`),
          key: channel,
          align: "center" as const,
          width: 96,
          render: (_: unknown, { kind }: { kind: Kind }) => (
            <Checkbox
              checked={(value[kind] ?? []).includes(channel)}
              aria-label={t("preferences.channelOf", {
                kind: t(`kinds.${kind}`),
                channel: t(`channels.${channel}`),
              })}
              onChange={(event) => toggle(kind, channel, event.target.checked)}
            />
          ),
        })),
      ]}
    />
  );
}
