import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Grid,
  Pagination,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from "antd";
import type { TableProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import type { Schemas } from "@/lib/api/client";
import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { type TicketQuery, type TicketSummary, useTickets } from "../api/tickets";
import { useErrorText, useNow, usePersonName } from "../lib/hooks";
import { STATUSES } from "../lib/lifecycle";
import { PRIORITIES, TYPES, queueQuery, sortOrder } from "../lib/queue";

import { NewTicketModal } from "./NewTicketModal";
import { SlaClockText } from "./SlaClockText";
import { PriorityTag, StatusTag } from "./Tags";

/** The ticket queue: filters, sorting and paging kept in the address (so a view can be
 * shared and survives a reload), SLA countdowns, a list of cards on a phone. */
export function TicketQueue() {
  const { t } = useTranslation(["support", "common"]);
  const format = useFormat();
  const { me } = useSession();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const now = useNow();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const query: TicketQuery = queueQuery(params, me?.subject);
  const { data, error, isFetching, refetch } = useTickets(query);
  const personName = usePersonName((data?.items ?? []).map((ticket) => ticket.assignee_id));
  const page = Math.floor((query.offset ?? 0) / (query.limit ?? 20)) + 1;

  const update = (changes: Record<string, string | string[] | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      if (Array.isArray(value)) value.forEach((v) => next.append(key, v));
      else if (value) next.set(key, value);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next, { replace: true });
  };

  const sla = (ticket: TicketSummary) => (
    <Flex vertical gap={4} align="flex-start">
      <span>
        <Typography.Text type="secondary">{t("sla.firstResponse")}: </Typography.Text>
        <SlaClockText clock={ticket.sla.first_response} now={now} />
      </span>
      <span>
        <Typography.Text type="secondary">{t("sla.resolution")}: </Typography.Text>
        <SlaClockText clock={ticket.sla.resolution} now={now} />
      </span>
    </Flex>
  );

  const columns: TableProps<TicketSummary>["columns"] = [
    {
      title: t("queue.reference"),
      dataIndex: "reference",
      render: (_, ticket) => <Link to={ticket.id}>{ticket.reference}</Link>,
    },
    { title: t("queue.subject"), dataIndex: "subject", ellipsis: true },
    {
      title: t("queue.requester"),
      render: (_, ticket) => ticket.requester_name ?? ticket.requester_email ?? "—",
    },
    {
      title: t("queue.status"),
      key: "status",
      dataIndex: "status",
      sorter: true,
      sortOrder: sortOrder(query.sort, "status"),
      render: (status: Schemas["TicketStatus"]) => <StatusTag status={status} />,
    },
    {
      title: t("queue.priority"),
      dataIndex: "priority",
      render: (priority: Schemas["Priority"]) => <PriorityTag priority={priority} />,
    },
    {
      title: t("queue.type"),
      dataIndex: "type",
      render: (type: Schemas["TicketType"]) => t(`type.${type}`),
    },
    {
      title: t("queue.assignee"),
      dataIndex: "assignee_id",
      render: (id: string | null) => personName(id),
    },
    {
      title: t("queue.sla"),
      key: "sla.resolution.due_at",
      sorter: true,
      sortOrder: sortOrder(query.sort, "sla.resolution.due_at"),
      render: (_, ticket) => sla(ticket),
    },
    {
      title: t("queue.opened"),
      key: "opened_at",
      dataIndex: "opened_at",
      sorter: true,
      sortOrder: sortOrder(query.sort, "opened_at"),
      render: (value: string) => format.dateTime(value),
    },
  ];

  const filters = (
    <Flex wrap gap={8} align="center">
      <Select<Schemas["TicketStatus"][]>
        mode="multiple"
        allowClear
        aria-label={t("queue.status")}
        placeholder={t("queue.allStatuses")}
        style={{ minWidth: 200 }}
        value={query.status ?? []}
        onChange={(value) => update({ status: value })}
        options={STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
      />
      <Select<Schemas["Priority"]>
        allowClear
        aria-label={t("queue.priority")}
        placeholder={t("queue.allPriorities")}
        style={{ minWidth: 130 }}
        value={query.priority ?? undefined}
        onChange={(value) => update({ priority: value ?? null })}
        options={PRIORITIES.map((priority) => ({
          value: priority,
          label: t(`priority.${priority}`),
        }))}
      />
      <Select<Schemas["TicketType"]>
        allowClear
        aria-label={t("queue.type")}
        placeholder={t("queue.allTypes")}
        style={{ minWidth: 130 }}
        value={query.type ?? undefined}
        onChange={(value) => update({ type: value ?? null })}
        options={TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))}
      />
      <Checkbox
        checked={params.get("mine") === "1"}
        onChange={(event) => update({ mine: event.target.checked ? "1" : null })}
      >
        {t("queue.mine")}
      </Checkbox>
      <Checkbox
        checked={params.get("breached") === "1"}
        onChange={(event) => update({ breached: event.target.checked ? "1" : null })}
      >
        {t("queue.breachedOnly")}
      </Checkbox>
      <Button
        icon={<ReloadOutlined />}
        aria-label={t("actions.refresh", { ns: "common" })}
        onClick={() => void refetch()}
      />
    </Flex>
  );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("queue.title")}
        </Typography.Title>
        <Can permission="tickets:write">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("queue.new")}
          </Button>
        </Can>
      </Flex>
      {filters}
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {phone ? (
        <Spin spinning={isFetching}>
          <Flex vertical gap={8}>
            {data?.items.length === 0 && <Empty description={t("queue.empty")} />}
            <Flex vertical gap={8} role="list" aria-label={t("queue.title")}>
              {data?.items.map((ticket) => (
                <Card key={ticket.id} size="small" role="listitem">
                  <Flex vertical gap={6}>
                    <Link to={ticket.id}>
                      <Typography.Text strong style={{ color: "inherit" }}>
                        {ticket.reference} · {ticket.subject}
                      </Typography.Text>
                    </Link>
                    <Space wrap size={4}>
                      <StatusTag status={ticket.status} />
                      <PriorityTag priority={ticket.priority} />
                      <Typography.Text type="secondary">{t(`type.${ticket.type}`)}</Typography.Text>
                    </Space>
                    <Typography.Text type="secondary">
                      {ticket.requester_name ?? "—"} · {personName(ticket.assignee_id)} ·{" "}
                      {format.relative(ticket.opened_at)}
                    </Typography.Text>
                    {sla(ticket)}
                  </Flex>
                </Card>
              ))}
            </Flex>
            <Pagination
              simple
              current={page}
              pageSize={query.limit}
              total={data?.total ?? 0}
              onChange={(next) => update({ page: String(next) })}
            />
          </Flex>
        </Spin>
      ) : (
        <Table<TicketSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: true }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("queue.empty")} />
            ),
          }}
          pagination={{
            current: page,
            pageSize: query.limit,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t("common.total", { ns: "common", count: total }),
          }}
          onChange={(pagination, _filters, sorter, extra) => {
            if (extra.action === "sort") {
              const one = Array.isArray(sorter) ? sorter[0] : sorter;
              const key = one?.order ? String(one.columnKey) : null;
              update({ sort: key ? `${one?.order === "descend" ? "-" : ""}${key}` : null });
            } else {
              update({
                page: String(pagination.current ?? 1),
                size: String(pagination.pageSize ?? 20),
              });
            }
          }}
        />
      )}
      <NewTicketModal open={creating} onClose={() => setCreating(false)} />
    </Flex>
  );
}
