/** The signed-in person's inbox (notifications service, through the gateway). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Notification = Schemas["NotificationOut"];

/** Every query about the inbox: the live stream invalidates them all on each event. */
export const INBOX = ["notifications"] as const;
const COUNT = [...INBOX, "unread-count"] as const;
const LIST = [...INBOX, "list"] as const;

export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: COUNT,
    queryFn: async () => unwrap(await api.GET("/api/v1/notifications/unread-count")).unread,
    enabled,
  });
}

/** The newest ``limit`` notifications, unread first (the service's order). */
export function useInbox(limit: number, enabled = true) {
  return useQuery({
    queryKey: [...LIST, limit],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/notifications", { params: { query: { limit } } })),
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (notificationId: string) =>
      unwrap(
        await api.POST("/api/v1/notifications/{notification_id}/read", {
          params: { path: { notification_id: notificationId } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: INBOX }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/notifications/read-all")).marked,
    onSettled: () => client.invalidateQueries({ queryKey: INBOX }),
  });
}
