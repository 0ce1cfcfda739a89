/** The bell in the header: the unread count, live; opens the inbox. */
import { BellOutlined } from "@ant-design/icons";
import { Badge, Button } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";

import { useUnreadCount } from "../api/inbox";
import { useNotificationStream } from "../hooks/useNotificationStream";

const InboxDrawer = lazy(() => import("./InboxDrawer"));

export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const [open, setOpen] = useState(false);
  const count = useUnreadCount();
  useNotificationStream(true);
  const unread = count.data ?? 0;

  return (
    <>
      <Badge count={unread} overflowCount={99} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t("bell.label", { count: unread })}
          aria-haspopup="dialog"
          data-testid="notification-bell"
          onClick={() => setOpen(true)}
        />
      </Badge>
      {open && (
        <Suspense>
          <InboxDrawer onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
