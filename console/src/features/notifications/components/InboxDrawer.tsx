/** The inbox: unread first, then newest; opening one marks it read and goes to its record. */
import { Alert, Button, Drawer, Flex, Grid, Skeleton, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { errorText } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import { type Notification, useInbox, useMarkAllRead, useMarkRead } from "../api/inbox";

const PAGE = 20;
const MOST = 100; // the API's largest page

export default function InboxDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation(["notifications", "common"]);
  const format = useFormat();
  const phone = !Grid.useBreakpoint().sm;
  const [limit, setLimit] = useState(PAGE);
  const inbox = useInbox(limit);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = inbox.data?.items ?? [];
  const anyUnread = items.some((item) => !item.read_at);

  const opened = (item: Notification) => {
    if (!item.read_at) markRead.mutate(item.notification_id);
    onClose();
  };

  return (
    <Drawer
      open
      placement="right"
      size={phone ? "100%" : 420}
      title={t("inbox.title")}
      onClose={onClose}
      extra={
        <Button
          size="small"
          disabled={!anyUnread}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t("inbox.markAllRead")}
        </Button>
      }
      footer={
        <Link to="/notifications/preferences" onClick={onClose}>
          {t("inbox.preferences")}
        </Link>
      }
    >
      {inbox.error ? (
        <Alert
          type="error"
          showIcon
          title={errorText(t, inbox.error)}
          action={
            <Button size="small" onClick={() => void inbox.refetch()}>
              {t("actions.refresh", { ns: "common" })}
            </Button>
          }
        />
      ) : inbox.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{t("inbox.empty")}</Typography.Text>
      ) : (
        <ul data-testid="inbox" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {items.map((item) => (
            <li
              key={item.notification_id}
              data-unread={item.read_at ? undefined : "true"}
              style={{
                padding: "12px 8px",
                borderBottom: "1px solid #f0f0f0",
                background: item.read_at ? undefined : "#f0f7ff",
              }}
            >
              <Flex gap={8} wrap align="baseline">
                <Link
                  to={item.record.path}
                  onClick={() => opened(item)}
                  style={{ fontWeight: item.read_at ? 400 : 600 }}
                >
                  {item.title}
                </Link>
                {!item.read_at && <Tag color="blue">{t("inbox.unread")}</Tag>}
                {item.urgent && <Tag color="red">{t("inbox.urgent")}</Tag>}
              </Flex>
              <Typography.Paragraph style={{ margin: "4px 0" }}>{item.body}</Typography.Paragraph>
              <Typography.Text type="secondary">
                <time dateTime={item.created_at} title={format.dateTime(item.created_at)}>
                  {format.relative(item.created_at)}
                </time>
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
      {(inbox.data?.total ?? 0) > items.length && limit < MOST && (
        <Button block onClick={() => setLimit((current) => Math.min(current + PAGE, MOST))}>
          {t("inbox.more")}
        </Button>
      )}
    </Drawer>
  );
}
