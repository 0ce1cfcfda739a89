import { ArrowLeftOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Result,
  Row,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import { ApiError } from "@/lib/api/problem";
import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { type Ticket, useTicket } from "../api/tickets";
import { useDuration, useErrorText, useNow, usePersonName } from "../lib/hooks";
import { builtInPolicy, type SlaClock } from "../lib/sla";

import { Attachments } from "./Attachments";
import { CardTitle } from "./CardTitle";
import { Conversation } from "./Conversation";
import { CustomerContext } from "./CustomerContext";
import { ReplyBox } from "./ReplyBox";
import { SlaClockText } from "./SlaClockText";
import { TicketActions } from "./TicketActions";
import { PriorityTag, StatusTag } from "./Tags";

function SlaValue({ clock, now }: { clock: SlaClock; now: number }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const duration = useDuration();
  return (
    <Flex vertical gap={2} align="flex-start">
      <SlaClockText clock={clock} now={now} />
      <Typography.Text type="secondary">
        {t("sla.target", { time: duration(clock.target_seconds) })}
        {clock.due_at && ` · ${t("sla.due", { at: format.dateTime(clock.due_at) })}`}
      </Typography.Text>
    </Flex>
  );
}

function SlaCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const duration = useDuration();
  const now = useNow(15_000);
  const firstResponse = ticket.first_response_at
    ? (new Date(ticket.first_response_at).getTime() - new Date(ticket.opened_at).getTime()) / 1000
    : null;
  const builtIn = builtInPolicy(ticket.sla.policy_id);
  const policy = builtIn
    ? t("sla.defaultPolicy", {
        tier: t(`tier.${builtIn.tier}`),
        priority: t(`priority.${builtIn.priority}`),
      })
    : ticket.sla.policy_name;
  return (
    <Card size="small" title={<CardTitle>{t("sla.title")}</CardTitle>}>
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: "first",
            label: t("sla.firstResponse"),
            children: <SlaValue clock={ticket.sla.first_response} now={now} />,
          },
          {
            key: "resolution",
            label: t("sla.resolution"),
            children: <SlaValue clock={ticket.sla.resolution} now={now} />,
          },
          { key: "policy", label: t("sla.policy"), children: policy },
          {
            key: "firstResponseTime",
            label: t("sla.firstResponseTime"),
            children: (
              <span data-testid="first-response-time">
                {firstResponse === null ? t("sla.noResponseYet") : duration(firstResponse)}
              </span>
            ),
          },
          {
            key: "opened",
            label: t("ticket.openedAt"),
            children: format.dateTime(ticket.opened_at),
          },
        ]}
      />
    </Card>
  );
}

function History({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("support");
  const format = useFormat();
  const personName = usePersonName(ticket.history.map((change) => change.actor_id));
  return (
    <Card size="small" title={<CardTitle>{t("ticket.history")}</CardTitle>}>
      <Timeline
        items={ticket.history.map((change) => ({
          key: `${change.at}-${change.to_status}`,
          content: (
            <Flex vertical>
              <Typography.Text>
                {change.from_status
                  ? t("ticket.changed", {
                      from: t(`status.${change.from_status}`),
                      to: t(`status.${change.to_status}`),
                    })
                  : t("ticket.opened")}
              </Typography.Text>
              <Typography.Text type="secondary">
                {format.dateTime(change.at)} · {personName(change.actor_id)}
              </Typography.Text>
              {change.note && <Typography.Text italic>{change.note}</Typography.Text>}
            </Flex>
          ),
        }))}
      />
    </Card>
  );
}

/** One ticket: the conversation and the reply box, its SLA, what may be done with it,
 * the customer's context and suggested articles, and its history. */
export function TicketPage() {
  const { t } = useTranslation(["support", "common"]);
  const { ticketId = "" } = useParams();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { data: ticket, error, isLoading, refetch } = useTicket(ticketId);
  const personName = usePersonName([ticket?.assignee_id]);

  if (isLoading) return <Skeleton active />;
  if (error || !ticket) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={missing ? "404" : "error"}
        title={missing ? t("errors.notFound", { ns: "common" }) : errorText(error)}
        extra={
          <Button onClick={() => void navigate("..", { relative: "path" })}>
            {t("ticket.backToQueue")}
          </Button>
        }
      />
    );
  }

  return (
    <Flex vertical gap={16}>
      <Flex vertical gap={4}>
        <Button
          type="link"
          icon={<ArrowLeftOutlined />}
          style={{ alignSelf: "flex-start", padding: 0 }}
          onClick={() => void navigate("..", { relative: "path" })}
        >
          {t("ticket.backToQueue")}
        </Button>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>
          {ticket.reference} · {ticket.subject}
        </Typography.Title>
        <Space wrap size={4}>
          <StatusTag status={ticket.status} />
          <PriorityTag priority={ticket.priority} />
          <Typography.Text>{t(`type.${ticket.type}`)}</Typography.Text>
          <Typography.Text type="secondary">
            · {t(`channel.${ticket.channel}`)} · {t("ticket.assignee")}:{" "}
            {personName(ticket.assignee_id)}
            {ticket.team && ` (${ticket.team})`}
            {ticket.escalation_level > 0 &&
              ` · ${t("ticket.escalationLevel", { level: ticket.escalation_level })}`}
          </Typography.Text>
        </Space>
      </Flex>
      {ticket.status === "closed" && (
        <Alert type="info" showIcon title={t("ticket.closedNotice")} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <Conversation ticket={ticket} />
            {ticket.status !== "closed" && (
              <Can permission="tickets:write">
                <ReplyBox ticket={ticket} />
              </Can>
            )}
            <Attachments ticket={ticket} />
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <Can permission="tickets:write">
              <Card size="small">
                <TicketActions ticket={ticket} onStale={() => void refetch()} />
              </Card>
            </Can>
            <SlaCard ticket={ticket} />
            <CustomerContext ticket={ticket} />
            <History ticket={ticket} />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
