/** The unified timeline (C-5): touches logged here and facts from sales, marketing and
 * support, newest first, with "load more" and logging a visit or call. */
import { PhoneOutlined, PlusOutlined, EnvironmentOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Dropdown,
  Empty,
  Flex,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import {
  type Channel,
  type InteractionStatus,
  type TimelineEntry,
  useChangeInteractionStatus,
  useTimeline,
} from "../api/timeline";
import { LOGGABLE, LogInteractionModal } from "./LogInteractionModal";

const STATUSES: InteractionStatus[] = ["pending", "replied", "to_handle"];
const SOURCE_COLORS: Record<string, string> = {
  customer: "blue",
  sales: "purple",
  marketing: "magenta",
  support: "red",
};

function EntryStatus({ entry, customerId }: { entry: TimelineEntry; customerId: string }) {
  const { t } = useTranslation("customers");
  const { can } = useSession();
  const { message } = App.useApp();
  const change = useChangeInteractionStatus(customerId);
  if (!entry.status) return null;
  if (entry.kind !== "interaction" || !can("customers:write")) {
    return <Tag>{t(`status.${entry.status}`)}</Tag>;
  }
  return (
    <Select<InteractionStatus>
      size="small"
      aria-label={t("timeline.statusOf", { summary: entry.summary })}
      value={entry.status}
      loading={change.isPending}
      style={{ minWidth: 110 }}
      options={STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
      onChange={(status) =>
        change
          .mutateAsync({ id: entry.id, status })
          .catch((error: unknown) => void message.error(errorText(t, error)))
      }
    />
  );
}

export function TimelineCard({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation(["customers", "common"]);
  const format = useFormat();
  const { data, error, isLoading, fetchNextPage, hasNextPage, isFetchingNextPage } =
    useTimeline(customerId);
  const [logging, setLogging] = useState<Channel | null>(null);
  const entries = data?.pages.flatMap((page) => page.items) ?? [];
  const label = (prefix: string, value: string) =>
    i18n.exists(`${prefix}.${value}`, { ns: "customers" }) ? t(`${prefix}.${value}`) : value;

  return (
    <Flex vertical gap={12}>
      <Can permission="customers:write">
        <Space wrap>
          <Button type="primary" icon={<EnvironmentOutlined />} onClick={() => setLogging("visit")}>
            {t("timeline.logVisit")}
          </Button>
          <Button icon={<PhoneOutlined />} onClick={() => setLogging("call")}>
            {t("timeline.logCall")}
          </Button>
          <Dropdown
            trigger={["click"]}
            menu={{
              items: LOGGABLE.filter((c) => c !== "visit" && c !== "call").map((c) => ({
                key: c,
                label: t(`channel.${c}`),
              })),
              onClick: ({ key }) => setLogging(key as Channel),
            }}
          >
            <Button icon={<PlusOutlined />}>{t("timeline.logOther")}</Button>
          </Dropdown>
        </Space>
      </Can>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      {isLoading ? (
        <Spin />
      ) : entries.length === 0 ? (
        <Empty description={t("timeline.empty")} />
      ) : (
        <Timeline
          items={entries.map((entry) => ({
            key: entry.id,
            title: (
              <Typography.Text type="secondary">
                <time dateTime={entry.occurred_at}>{format.dateTime(entry.occurred_at)}</time>
              </Typography.Text>
            ),
            content: (
              <Flex vertical gap={4} data-testid="timeline-entry">
                <Space wrap size={4}>
                  <Tag color={SOURCE_COLORS[entry.source] ?? "default"}>
                    {label("source", entry.source)}
                  </Tag>
                  <Tag>{label("channel", entry.channel)}</Tag>
                  <Typography.Text strong>{label("kind", entry.kind)}</Typography.Text>
                  <EntryStatus entry={entry} customerId={customerId} />
                </Space>
                <Typography.Text>{entry.summary}</Typography.Text>
                {entry.content && (
                  <Typography.Paragraph
                    type="secondary"
                    style={{ margin: 0, whiteSpace: "pre-wrap" }}
                  >
                    {entry.content}
                  </Typography.Paragraph>
                )}
              </Flex>
            ),
          }))}
        />
      )}
      {hasNextPage && (
        <Button onClick={() => void fetchNextPage()} loading={isFetchingNextPage}>
          {t("timeline.more")}
        </Button>
      )}
      <LogInteractionModal
        customerId={customerId}
        channel={logging}
        onClose={() => setLogging(null)}
      />
    </Flex>
  );
}
