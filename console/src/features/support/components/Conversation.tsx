import { Card, Flex, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

import type { Ticket } from "../api/tickets";
import { usePersonName } from "../lib/hooks";

/** The ticket's messages, oldest first: the customer's, agents' replies and internal
 * notes (marked as such, in words). */
export function Conversation({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const personName = usePersonName(ticket.messages.map((message) => message.author_id));
  return (
    <section aria-labelledby="conversation-title">
      <Typography.Title level={2} id="conversation-title" style={{ fontSize: 18 }}>
        {t("ticket.conversation")}
      </Typography.Title>
      <Flex vertical gap={8} role="list">
        {ticket.messages.map((message) => {
          const fromCustomer = message.author_kind === "customer";
          const internal = message.visibility === "internal";
          return (
            <Card
              key={message.id}
              size="small"
              role="listitem"
              data-message-id={message.id}
              style={{
                background: internal ? "#fffbe6" : fromCustomer ? "#fafafa" : "#f0f5ff",
                marginLeft: fromCustomer ? 0 : 24,
                marginRight: fromCustomer ? 24 : 0,
              }}
            >
              <Flex justify="space-between" wrap gap={8}>
                <Typography.Text strong>
                  {fromCustomer
                    ? (ticket.requester_name ?? t("ticket.customer"))
                    : personName(message.author_id)}
                  {internal && <Tag style={{ marginLeft: 8 }}>{t("ticket.internalNote")}</Tag>}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {format.dateTime(message.created_at)}
                </Typography.Text>
              </Flex>
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: "8px 0 0" }}>
                {message.body}
              </Typography.Paragraph>
            </Card>
          );
        })}
      </Flex>
    </section>
  );
}
