import { RiseOutlined, UserAddOutlined } from "@ant-design/icons";
import { App, Button, Flex, Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

import { type Ticket, useAgents, useAssign, useEscalate, useTransition } from "../api/tickets";
import { useErrorText } from "../lib/hooks";
import { isOpen, nextStatuses, type TicketStatus } from "../lib/lifecycle";

/** What an agent may do with the ticket now: the lifecycle's next statuses, take it,
 * escalate it. Shown only to people holding tickets:write. Each change sends the
 * version read; when someone changed the ticket meanwhile, the newer one is shown. */
export function TicketActions({ ticket, onStale }: { ticket: Ticket; onStale: () => void }) {
  const { t } = useTranslation(["support", "common"]);
  const { message } = App.useApp();
  const { me } = useSession();
  const errorText = useErrorText();
  const transition = useTransition(ticket.id);
  const assign = useAssign(ticket.id);
  const escalate = useEscalate(ticket.id);
  const agents = useAgents();
  const [moving, setMoving] = useState<TicketStatus | null>(null);
  const [escalating, setEscalating] = useState(false);
  const [note, setNote] = useState("");
  const busy = transition.isPending || assign.isPending || escalate.isPending;

  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.status === 412) onStale();
    void message.error(errorText(error));
  };

  const move = async () => {
    if (!moving) return;
    try {
      await transition.mutateAsync({ to: moving, note, version: ticket.version });
      void message.success(t("work.moved", { status: t(`status.${moving}`) }));
      setMoving(null);
      setNote("");
    } catch (error) {
      failed(error);
    }
  };

  const assignTo = async (agentId: string | undefined) => {
    const mine = agentId === undefined || agentId === me?.subject;
    try {
      await assign.mutateAsync({
        assignee_id: agentId ?? me?.subject,
        team: mine ? me?.team : undefined,
        version: ticket.version,
      });
      void message.success(t(mine ? "work.taken" : "work.assigned"));
    } catch (error) {
      failed(error);
    }
  };

  const raise = async () => {
    try {
      await escalate.mutateAsync({ reason: note, version: ticket.version });
      void message.success(t("work.escalated"));
      setEscalating(false);
      setNote("");
    } catch (error) {
      failed(error);
    }
  };

  const moves = nextStatuses(ticket.status);
  return (
    <section aria-labelledby="actions-title">
      <Typography.Title level={2} id="actions-title" style={{ fontSize: 16 }}>
        {t("work.title")}
      </Typography.Title>
      <Flex wrap gap={8}>
        {moves.map((status) => (
          <Button key={status} disabled={busy} onClick={() => setMoving(status)}>
            {t(`moves.${status}`)}
          </Button>
        ))}
        {isOpen(ticket.status) && ticket.assignee_id !== me?.subject && (
          <Button
            icon={<UserAddOutlined />}
            loading={assign.isPending}
            onClick={() => void assignTo(undefined)}
          >
            {t("work.takeIt")}
          </Button>
        )}
        {isOpen(ticket.status) && (
          <Button icon={<RiseOutlined />} disabled={busy} onClick={() => setEscalating(true)}>
            {t("work.escalate")}
          </Button>
        )}
        {isOpen(ticket.status) && Boolean(agents.data?.items.length) && (
          <Select<string>
            aria-label={t("work.assignTo")}
            placeholder={t("work.assignTo")}
            style={{ minWidth: 180 }}
            disabled={busy}
            value={null}
            onChange={(agentId) => void assignTo(agentId)}
            options={agents.data?.items
              .filter((agent) => agent.active && agent.id !== ticket.assignee_id)
              .map((agent) => ({ value: agent.id, label: `${agent.name} (${agent.team})` }))}
          />
        )}
        {!moves.length && !isOpen(ticket.status) && (
          <Typography.Text type="secondary">{t("work.none")}</Typography.Text>
        )}
      </Flex>
      <Modal
        open={moving !== null}
        title={moving ? t("work.moveTitle", { status: t(`status.${moving}`) }) : ""}
        okText={t("work.confirmMove")}
        cancelText={t("actions.cancel", { ns: "common" })}
        confirmLoading={transition.isPending}
        onOk={() => void move()}
        onCancel={() => setMoving(null)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t("work.note")} htmlFor="transition-note">
            <Input.TextArea
              id="transition-note"
              rows={3}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={escalating}
        title={t("work.escalateTitle")}
        okText={t("work.escalate")}
        cancelText={t("actions.cancel", { ns: "common" })}
        confirmLoading={escalate.isPending}
        onOk={() => void raise()}
        onCancel={() => setEscalating(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t("work.escalateHelp")}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t("work.reason")} htmlFor="escalation-reason">
            <Input.TextArea
              id="escalation-reason"
              rows={3}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
