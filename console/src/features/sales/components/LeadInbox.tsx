/** The lead inbox (S-1 to S-4): score, owner, status and source, filtered and sorted;
 * a new lead by hand; one-step conversion; a lead's name opens its page. A list of cards
 * on a phone. */
import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Flex,
  Grid,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { LEAD_STATUSES, type Lead, type LeadFilters, useLeads } from "../api/leads";
import { TAG } from "../lib/colors";
import { LEAD_STATUS_COLOR } from "../lib/leadStatus";
import { useOwnerName } from "../lib/useOwnerName";
import { ConvertLeadDialog } from "./ConvertLeadDialog";
import { LeadForm } from "./LeadForm";

function scoreColor(score: number): string {
  if (score >= 75) return TAG.green;
  if (score >= 50) return TAG.gold;
  return TAG.grey;
}

const PAGE_SIZE = 20;

export function LeadInbox() {
  const { t, i18n } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const [filters, setFilters] = useState<LeadFilters>({
    sort: "-created_at",
    offset: 0,
    limit: PAGE_SIZE,
  });
  const leads = useLeads(filters);
  const ownerName = useOwnerName((leads.data?.items ?? []).map((lead) => lead.owner_id));
  const [creating, setCreating] = useState(false);
  const [converting, setConverting] = useState<Lead | null>(null);
  const mayConvert = can("leads:write") && can("sales:write");

  const convertible = (lead: Lead) =>
    mayConvert && ["new", "contacted", "qualified"].includes(lead.status);
  const action = (lead: Lead) =>
    lead.opportunity_id ? (
      <Link to={`/sales/opportunities/${lead.opportunity_id}`}>{t("leads.openOpportunity")}</Link>
    ) : convertible(lead) ? (
      <Button
        size="small"
        onClick={() => setConverting(lead)}
        aria-label={t("leads.convertAria", { name: lead.name })}
      >
        {t("leads.convert")}
      </Button>
    ) : null;

  const columns: ColumnsType<Lead> = [
    {
      key: "name",
      title: t("leadFields.name"),
      render: (_, lead) => (
        <Flex vertical>
          <Link to={`/sales/leads/${lead.lead_id}`}>
            <Typography.Text strong style={{ color: "inherit" }}>
              {lead.name}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary">{lead.company ?? ""}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: "score",
      title: t("leadFields.score"),
      render: (_, lead) => <Tag color={scoreColor(lead.score)}>{lead.score}</Tag>,
    },
    {
      key: "status",
      title: t("leadFields.status"),
      render: (_, lead) => (
        <Tag color={LEAD_STATUS_COLOR[lead.status]}>{t(`leadStatus.${lead.status}`)}</Tag>
      ),
    },
    { key: "owner", title: t("fields.owner"), render: (_, lead) => ownerName(lead.owner_id) },
    {
      key: "source",
      title: t("leadFields.source_channel"),
      render: (_, lead) =>
        i18n.exists(`source.${lead.source_channel}`, { ns: "sales" })
          ? t(`source.${lead.source_channel}`)
          : lead.source_channel,
    },
    {
      key: "created",
      title: t("leadFields.created_at"),
      render: (_, lead) => format.dateTime(lead.created_at),
    },
    { key: "action", title: t("leads.action"), render: (_, lead) => action(lead) },
  ];

  const pagination = {
    current: filters.offset / PAGE_SIZE + 1,
    pageSize: PAGE_SIZE,
    total: leads.data?.total ?? 0,
    showSizeChanger: false,
    onChange: (page: number) => setFilters({ ...filters, offset: (page - 1) * PAGE_SIZE }),
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("leads.title")}
        </Typography.Title>
        {can("leads:write") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("leads.new")}
          </Button>
        )}
      </Flex>
      <Space wrap>
        <Select
          aria-label={t("leadFields.status")}
          placeholder={t("leads.anyStatus")}
          allowClear
          style={{ minWidth: 160 }}
          value={filters.status}
          onChange={(status) => setFilters({ ...filters, status, offset: 0 })}
          options={LEAD_STATUSES.map((status) => ({
            value: status,
            label: t(`leadStatus.${status}`),
          }))}
        />
        <InputNumber
          aria-label={t("leads.minScore")}
          placeholder={t("leads.minScore")}
          min={0}
          max={100}
          style={{ width: 160 }}
          value={filters.min_score}
          onChange={(value) => setFilters({ ...filters, min_score: value ?? undefined, offset: 0 })}
        />
        <Select
          aria-label={t("leads.sort")}
          style={{ minWidth: 160 }}
          value={filters.sort}
          onChange={(sort) => setFilters({ ...filters, sort, offset: 0 })}
          options={[
            { value: "-created_at", label: t("leads.sortNewest") },
            { value: "-score", label: t("leads.sortScore") },
          ]}
        />
      </Space>
      {leads.error && <Alert type="error" showIcon title={errorText(t, leads.error)} />}
      {phone ? (
        <List
          loading={leads.isFetching}
          dataSource={leads.data?.items ?? []}
          pagination={leads.data && leads.data.total > PAGE_SIZE ? pagination : false}
          renderItem={(lead) => (
            <List.Item key={lead.lead_id}>
              <Card size="small" style={{ width: "100%" }}>
                <Flex justify="space-between" align="start" gap={8}>
                  <Flex vertical>
                    <Link to={`/sales/leads/${lead.lead_id}`}>
                      <Typography.Text strong style={{ color: "inherit" }}>
                        {lead.name}
                      </Typography.Text>
                    </Link>
                    <Typography.Text type="secondary">{lead.company ?? ""}</Typography.Text>
                  </Flex>
                  <Tag color={scoreColor(lead.score)}>
                    {t("leads.scoreShort", { score: lead.score })}
                  </Tag>
                </Flex>
                <Flex justify="space-between" align="center" style={{ marginTop: 8 }} gap={8}>
                  <Tag color={LEAD_STATUS_COLOR[lead.status]}>{t(`leadStatus.${lead.status}`)}</Tag>
                  {action(lead)}
                </Flex>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Lead>
          rowKey="lead_id"
          columns={columns}
          dataSource={leads.data?.items ?? []}
          loading={leads.isFetching}
          pagination={pagination}
          scroll={{ x: true }}
        />
      )}
      {creating && <LeadForm onClose={() => setCreating(false)} />}
      {converting && <ConvertLeadDialog lead={converting} onClose={() => setConverting(null)} />}
    </Flex>
  );
}
