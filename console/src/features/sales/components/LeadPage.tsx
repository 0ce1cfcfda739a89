/** One lead (S-1 to S-4): who and where from, its score and status; a rep edits its
 * details, disqualifies it or converts it. A notification about a lead opens here. */
import { ArrowLeftOutlined, EditOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Flex, Grid, Skeleton, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { errorText } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import { OPEN_LEAD_STATUSES, useLead } from "../api/leads";
import { LEAD_STATUS_COLOR } from "../lib/leadStatus";
import { useOwnerName } from "../lib/useOwnerName";
import { ConvertLeadDialog } from "./ConvertLeadDialog";
import { DisqualifyLeadDialog } from "./DisqualifyLeadDialog";
import { LeadEdit } from "./LeadEdit";

const EMPTY = "—";

export function LeadPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation(["sales", "common"]);
  const format = useFormat();
  const { can } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const query = useLead(id);
  const ownerName = useOwnerName([query.data?.owner_id]);
  const [dialog, setDialog] = useState<"edit" | "disqualify" | "convert" | null>(null);

  const back = (
    <Link to="/sales/leads">
      <ArrowLeftOutlined /> {t("lead.back")}
    </Link>
  );
  if (query.isPending) return <Skeleton active />;
  if (query.error || !query.data) {
    return (
      <Flex vertical gap={16}>
        {back}
        <Alert type="error" showIcon title={errorText(t, query.error)} />
      </Flex>
    );
  }
  const lead = query.data;
  const open = OPEN_LEAD_STATUSES.includes(lead.status);
  const writable = can("leads:write") && open;
  const text = (value: string | null | undefined) => value || EMPTY;

  return (
    <Flex vertical gap={16}>
      {back}
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {lead.name}
          </Typography.Title>
          <Tag color={LEAD_STATUS_COLOR[lead.status]}>{t(`leadStatus.${lead.status}`)}</Tag>
        </Flex>
        <Flex gap={8} wrap>
          {writable && (
            <Button icon={<EditOutlined />} onClick={() => setDialog("edit")}>
              {t("actions.edit", { ns: "common" })}
            </Button>
          )}
          {writable && (
            <Button danger icon={<StopOutlined />} onClick={() => setDialog("disqualify")}>
              {t("lead.disqualify")}
            </Button>
          )}
          {writable && can("sales:write") && (
            <Button type="primary" onClick={() => setDialog("convert")}>
              {t("leads.convert")}
            </Button>
          )}
          {lead.opportunity_id && (
            <Link to={`/sales/opportunities/${lead.opportunity_id}`}>
              {t("leads.openOpportunity")}
            </Link>
          )}
        </Flex>
      </Flex>
      <Card>
        <Descriptions
          column={phone ? 1 : 2}
          size="small"
          items={[
            { key: "company", label: t("leadFields.company"), children: text(lead.company) },
            { key: "title", label: t("leadFields.title"), children: text(lead.title) },
            { key: "phone", label: t("leadFields.phone"), children: text(lead.phone) },
            { key: "email", label: t("leadFields.email"), children: text(lead.email) },
            { key: "industry", label: t("leadFields.industry"), children: text(lead.industry) },
            {
              key: "company_size",
              label: t("leadFields.company_size"),
              children: text(lead.company_size),
            },
            { key: "region", label: t("leadFields.region"), children: text(lead.region) },
            { key: "product", label: t("leadFields.product"), children: text(lead.product) },
            {
              key: "interest_level",
              label: t("leadFields.interest_level"),
              children: lead.interest_level ? t(`interest.${lead.interest_level}`) : EMPTY,
            },
            { key: "score", label: t("leadFields.score"), children: lead.score },
            {
              key: "source",
              label: t("leadFields.source_channel"),
              children: i18n.exists(`source.${lead.source_channel}`, { ns: "sales" })
                ? t(`source.${lead.source_channel}`)
                : lead.source_channel,
            },
            { key: "owner", label: t("fields.owner"), children: ownerName(lead.owner_id) },
            {
              key: "created",
              label: t("leadFields.created_at"),
              children: format.dateTime(lead.created_at),
            },
            ...(lead.status === "disqualified"
              ? [
                  {
                    key: "reason",
                    label: t("leadFields.disqualified_reason"),
                    children: text(lead.disqualified_reason),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {dialog === "edit" && <LeadEdit lead={lead} onClose={() => setDialog(null)} />}
      {dialog === "disqualify" && (
        <DisqualifyLeadDialog lead={lead} onClose={() => setDialog(null)} />
      )}
      {dialog === "convert" && <ConvertLeadDialog lead={lead} onClose={() => setDialog(null)} />}
    </Flex>
  );
}
