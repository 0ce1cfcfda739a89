/**
 * Dead letters: the events a service could not handle, parked after its retries, for
 * administrators. Each shows which service parked it, the event, why and when; it can
 * be replayed to its service once the cause is fixed, or discarded for good.
 */
import { ReloadOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Flex,
  Grid,
  List,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import {
  type DeadLetter,
  useDeadLetters,
  useDiscardDeadLetter,
  useReplayDeadLetter,
} from "../api/deadLetters";
import { QueryError } from "./QueryError";

const REASONS = ["handler_failed", "malformed"];
const keyOf = (letter: DeadLetter, index?: number) =>
  `${letter.service}:${letter.message_id ?? `#${index ?? 0}`}`;

function Body({ letter }: { letter: DeadLetter }) {
  const { t } = useTranslation("settings");
  return (
    <Flex vertical gap={4}>
      {letter.error && (
        <Typography.Text>
          {t("deadLetters.error")}: <Typography.Text code>{letter.error}</Typography.Text>
        </Typography.Text>
      )}
      <Typography.Text type="secondary">{t("deadLetters.body")}</Typography.Text>
      <pre
        style={{
          margin: 0,
          maxHeight: 240,
          overflow: "auto",
          whiteSpace: "pre-wrap",
          wordBreak: "break-all",
          fontSize: 12,
        }}
      >
        {letter.body}
      </pre>
    </Flex>
  );
}

function Actions({ letter }: { letter: DeadLetter }) {
  const { t } = useTranslation(["settings", "common"]);
  const { message } = App.useApp();
  const replay = useReplayDeadLetter();
  const discard = useDiscardDeadLetter();
  const messageId = letter.message_id;
  if (!messageId)
    return <Typography.Text type="secondary">{t("deadLetters.noId")}</Typography.Text>;
  const target = { service: letter.service, message_id: messageId };
  const label = letter.type ?? messageId;
  return (
    <Space wrap>
      <Button
        size="small"
        loading={replay.isPending}
        aria-label={t("deadLetters.replayAria", { name: label })}
        onClick={() =>
          replay.mutate(target, {
            onSuccess: () => void message.success(t("deadLetters.replayed", { name: label })),
            onError: (error) => void message.error(errorText(t, error)),
          })
        }
      >
        {t("deadLetters.replay")}
      </Button>
      <Popconfirm
        title={t("deadLetters.discardConfirm")}
        okText={t("deadLetters.discard")}
        cancelText={t("actions.cancel", { ns: "common" })}
        okButtonProps={{ danger: true }}
        onConfirm={() =>
          discard.mutateAsync(target).then(
            () => void message.success(t("deadLetters.discarded", { name: label })),
            (error: unknown) => void message.error(errorText(t, error)),
          )
        }
      >
        <Button
          size="small"
          danger
          loading={discard.isPending}
          aria-label={t("deadLetters.discardAria", { name: label })}
        >
          {t("deadLetters.discard")}
        </Button>
      </Popconfirm>
    </Space>
  );
}

export function DeadLettersPage() {
  const { t } = useTranslation(["settings", "common"]);
  const format = useFormat();
  const phone = !Grid.useBreakpoint().md;
  const [service, setService] = useState<string | undefined>();
  const letters = useDeadLetters(service);
  const items = letters.data?.items ?? [];
  const reason = (value: string | null | undefined) =>
    value && REASONS.includes(value) ? t(`deadLetters.reasons.${value}`) : (value ?? "—");

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("deadLetters.title")}
      </Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t("deadLetters.intro")}</Typography.Paragraph>
      <Flex gap={8} wrap align="center">
        <Select
          allowClear
          aria-label={t("deadLetters.service")}
          placeholder={t("deadLetters.allServices")}
          style={{ minWidth: 180 }}
          value={service}
          onChange={(value?: string) => setService(value)}
          options={(letters.data?.services ?? []).map((value) => ({ value, label: value }))}
        />
        <Button
          icon={<ReloadOutlined />}
          loading={letters.isFetching}
          onClick={() => void letters.refetch()}
        >
          {t("actions.refresh", { ns: "common" })}
        </Button>
        <Typography.Text type="secondary" aria-live="polite">
          {letters.data && t("deadLetters.count", { count: items.length })}
        </Typography.Text>
      </Flex>
      {letters.error && <QueryError error={letters.error} onRetry={() => void letters.refetch()} />}
      {phone ? (
        <List<DeadLetter>
          loading={letters.isPending}
          dataSource={items}
          locale={{ emptyText: t("deadLetters.none") }}
          renderItem={(letter) => (
            <List.Item>
              <Card
                size="small"
                style={{ width: "100%" }}
                title={
                  <Typography.Text ellipsis style={{ maxWidth: "100%" }}>
                    {letter.type ?? letter.message_id ?? "—"}
                  </Typography.Text>
                }
              >
                <Flex vertical gap={8}>
                  <Space wrap size={4}>
                    <Tag>{letter.service}</Tag>
                    <Tag color="red">{reason(letter.reason)}</Tag>
                    <Typography.Text type="secondary">
                      {format.dateTime(letter.dead_lettered_at)}
                    </Typography.Text>
                  </Space>
                  <Body letter={letter} />
                  <Actions letter={letter} />
                </Flex>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<DeadLetter>
          size="small"
          rowKey={keyOf}
          loading={letters.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t("deadLetters.none") }}
          expandable={{ expandedRowRender: (letter) => <Body letter={letter} /> }}
          columns={[
            { key: "service", title: t("deadLetters.service"), dataIndex: "service" },
            {
              key: "type",
              title: t("deadLetters.type"),
              render: (_, letter) => letter.type ?? "—",
            },
            {
              key: "reason",
              title: t("deadLetters.reason"),
              render: (_, letter) => <Tag color="red">{reason(letter.reason)}</Tag>,
            },
            {
              key: "attempts",
              title: t("deadLetters.attempts"),
              align: "right",
              render: (_, letter) => format.number(letter.attempts),
            },
            {
              key: "at",
              title: t("deadLetters.at"),
              render: (_, letter) => format.dateTime(letter.dead_lettered_at),
            },
            {
              key: "id",
              title: t("deadLetters.messageId"),
              render: (_, letter) => (
                <Typography.Text code>{letter.message_id ?? "—"}</Typography.Text>
              ),
            },
            {
              key: "actions",
              title: t("deadLetters.actions"),
              render: (_, letter) => <Actions letter={letter} />,
            },
          ]}
        />
      )}
    </Flex>
  );
}
