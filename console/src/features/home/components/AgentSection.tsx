/** A support agent's queue: open tickets with their SLA clocks, and the breaches. */
import { Col, List, Row, Space, Statistic, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/lib/i18n/format";

import { useMyBreaches, useMyQueue } from "../api/support";
import { type SlaState, slaStanding } from "../lib/sla";
import { HomeCard } from "./HomeCard";

const STATE_COLOR: Record<SlaState, string> = {
  breached: "red",
  warning: "#8a4b00",
  onTrack: "#1b5e20",
  stopped: "default",
};

/** The current time, ticking every 30 s so the SLA clocks move. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

export function AgentSection({ me }: { me: string }) {
  const { t } = useTranslation("home");
  const format = useFormat();
  const queue = useMyQueue(me);
  const breaches = useMyBreaches(me);
  const now = useNow();

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <HomeCard
          testId="home-queue"
          title={t("agent.queue")}
          to="/support/tickets"
          linkLabel={t("links.tickets")}
          loading={queue.isPending && queue.fetchStatus !== "idle"}
          error={queue.error}
          onRetry={() => void queue.refetch()}
        >
          <Space size="large" wrap style={{ marginBottom: 12 }}>
            <Statistic title={t("agent.open")} value={queue.data?.total ?? 0} />
            <Statistic
              title={t("agent.breached")}
              value={breaches.data ?? 0}
              styles={{ content: { color: breaches.data ? "#b71c1c" : undefined } }}
            />
          </Space>
          <List
            dataSource={queue.data?.items ?? []}
            locale={{
              emptyText: <Typography.Text type="secondary">{t("agent.empty")}</Typography.Text>,
            }}
            renderItem={(ticket) => {
              const standing = slaStanding(ticket.sla, now);
              const clock = t(`agent.clock.${standing.clock}`);
              return (
                <List.Item
                  extra={
                    <Tag color={STATE_COLOR[standing.state]}>
                      {t(`agent.state.${standing.state}`)}
                    </Tag>
                  }
                >
                  <List.Item.Meta
                    title={
                      <Link to={`/support/tickets/${ticket.id}`}>
                        {ticket.reference} · {ticket.subject}
                      </Link>
                    }
                    description={
                      standing.dueAt
                        ? t(standing.state === "breached" ? "agent.overdueBy" : "agent.dueIn", {
                            clock,
                            when: format.relative(standing.dueAt),
                          })
                        : clock
                    }
                  />
                  <Tag>{t(`agent.priority.${ticket.priority}`)}</Tag>
                </List.Item>
              );
            }}
          />
        </HomeCard>
      </Col>
    </Row>
  );
}
