/** A ticket without a customer: how it came in (the public form, mail, or entered by an
 * agent, by which channel); who wrote as they gave it, marked unverified when nobody
 * spoke with them (the form, mail); the customer with their e-mail address as a
 * suggestion; and, for a person who may work tickets, linking the ticket to a customer. */
import {
  Alert,
  App,
  Button,
  Descriptions,
  Flex,
  Form,
  Popconfirm,
  Select,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import type { Schemas } from "@/lib/api/client";
import { useDebounced } from "@/lib/useDebounced";

import { useCustomerSearch } from "../api/customers";
import { type Ticket, useLinkCustomer } from "../api/tickets";
import { usePersonName } from "../lib/hooks";
import { AMBER } from "../lib/lifecycle";
import { linkProblemKey } from "../lib/linkCustomer";
import { isUnverified, ticketOrigin } from "../lib/requesterOrigin";

type Match = Schemas["SupportCustomerOut"];

export function RequesterLink({ ticket, match }: { ticket: Ticket; match: Match | null }) {
  const { t } = useTranslation(["support", "common"]);
  const { message } = App.useApp();
  const { can } = useSession();
  const writer = can("tickets:write");
  const link = useLinkCustomer(ticket.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const [chosen, setChosen] = useState<string | undefined>();
  const search = useDebounced(typed.trim(), 300);
  const customers = useCustomerSearch(search, writer);
  const given = ticket.requester_name || ticket.requester_email;
  const origin = ticketOrigin(ticket);
  const unverified = isUnverified(origin);
  const agentName = usePersonName([origin.kind === "agent" ? origin.agentId : null]);
  const channel = t(`channel.${ticket.channel}`);
  const cameBy =
    origin.kind === "agent"
      ? t("link.origin.agent", { channel, name: agentName(origin.agentId) })
      : t(`link.origin.${origin.kind}`);

  const linkTo = (customerId: string, name: string) => {
    setProblem(null);
    link.mutate(customerId, {
      onSuccess: () => void message.success(t("link.done", { name })),
      onError: (error) => {
        const key = linkProblemKey(error);
        setProblem(key ? t(key) : errorText(t, error));
      },
    });
  };

  const chosenName =
    customers.data?.items.find((customer) => customer.id === chosen)?.name ?? chosen ?? "";

  return (
    <Flex vertical gap={12} data-testid="requester-link">
      {unverified && (
        <Flex gap={8} align="center" wrap>
          <Tag variant="solid" color={AMBER}>
            {t("link.unverified")}
          </Tag>
          <Typography.Text type="secondary">
            {t(origin.kind === "email" ? "link.unverifiedEmailHelp" : "link.unverifiedHelp")}
          </Typography.Text>
        </Flex>
      )}
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: "origin", label: t("link.origin.label"), children: cameBy },
          ...(given
            ? [
                {
                  key: "name",
                  label: t("link.givenName"),
                  children: ticket.requester_name ?? "—",
                },
                {
                  key: "email",
                  label: t("link.givenEmail"),
                  children: ticket.requester_email ?? "—",
                },
              ]
            : []),
        ]}
      />
      {(!unverified || !given) && (
        <Typography.Text type="secondary">{t("context.noCustomer")}</Typography.Text>
      )}
      {match && (
        <Flex vertical gap={6} align="flex-start">
          <Typography.Text>
            {t("link.suggestion", { name: match.name ?? match.id })}
          </Typography.Text>
          {writer && (
            <Popconfirm
              title={t("link.confirmTitle", { name: match.name ?? match.id })}
              description={t("link.confirmHelp")}
              okText={t("link.confirmOk")}
              cancelText={t("actions.cancel", { ns: "common" })}
              onConfirm={() => linkTo(match.id, match.name ?? match.id)}
            >
              <Button type="primary" loading={link.isPending}>
                {t("link.linkTo", { name: match.name ?? match.id })}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      )}
      {writer && (
        <Form
          name="linkCustomer"
          layout="vertical"
          onFinish={() => chosen && linkTo(chosen, chosenName)}
        >
          <Form.Item
            label={t(match ? "link.other" : "link.choose")}
            htmlFor="linkCustomer_customer"
            style={{ marginBottom: 8 }}
          >
            <Select
              id="linkCustomer_customer"
              showSearch={{ filterOption: false, onSearch: setTyped }}
              allowClear
              value={chosen}
              onChange={(id: string | undefined) => setChosen(id)}
              placeholder={t("newTicket.customerPlaceholder")}
              loading={customers.isFetching}
              notFoundContent={t("newTicket.noCustomer")}
              options={customers.data?.items.map((customer) => ({
                value: customer.id,
                label: `${customer.name} (${customer.member_id})`,
              }))}
            />
          </Form.Item>
          <Button htmlType="submit" disabled={!chosen} loading={link.isPending}>
            {t("link.submit")}
          </Button>
        </Form>
      )}
      {problem && <Alert type="error" showIcon title={problem} />}
    </Flex>
  );
}
