/** Follows the live stream while mounted: each event refreshes the unread count and the
 * inbox, and an urgent one shows a toast with a link to its record. */
import { useQueryClient } from "@tanstack/react-query";
import { App, Button } from "antd";
import { useEffect, useEffectEvent, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { INBOX, type Notification, useMarkRead } from "../api/inbox";
import { followNotifications } from "../lib/stream";

export function useNotificationStream(enabled: boolean) {
  const client = useQueryClient();
  const { notification } = App.useApp();
  const { t } = useTranslation("notifications");
  const navigate = useNavigate();
  const markRead = useMarkRead();
  // The newest sequence seen: a replay after a reconnection does not toast again.
  const seen = useRef(0);

  const refresh = useEffectEvent(() => void client.invalidateQueries({ queryKey: INBOX }));

  const delivered = useEffectEvent((item: Notification) => {
    refresh();
    const fresh = item.sequence > seen.current;
    seen.current = Math.max(seen.current, item.sequence);
    if (!fresh || !item.urgent || item.read_at) return;
    const key = `notification-${item.notification_id}`;
    notification.warning({
      key,
      title: item.title,
      description: item.body,
      duration: 10,
      actions: (
        <Button
          type="primary"
          size="small"
          onClick={() => {
            markRead.mutate(item.notification_id);
            notification.destroy(key);
            void navigate(item.record.path);
          }}
        >
          {t("toast.open")}
        </Button>
      ),
    });
  });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    followNotifications(
      { onOpen: () => refresh(), onNotification: (item) => delivered(item) },
      controller.signal,
    ).catch(() => undefined); // refused (session over, no access): the bell stays as it was
    return () => controller.abort();
  }, [enabled]);
}
