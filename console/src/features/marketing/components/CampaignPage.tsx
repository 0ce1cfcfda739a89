/** /marketing/campaigns/:id: the plan, its lifecycle, the audience and the mail, the
 * launch of the send, its progress per recipient and the results. */
import { EditOutlined, SendOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Popconfirm,
  Spin,
  Steps,
  Typography,
} from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { ApiError, errorText } from "@/lib/api/problem";
import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import {
  type Campaign,
  type CampaignStatus,
  useCampaign,
  useChangeStatus,
  useLaunchCampaign,
  usePatchCampaign,
} from "../api/campaigns";
import { useStoredPreview } from "../api/segments";
import { isEditable, launchBlocker, statusActions, stepOf } from "../lib/lifecycle";
import { CampaignFormModal } from "./CampaignFormModal";
import { CampaignRecipients } from "./CampaignRecipients";
import { CampaignResults } from "./CampaignResults";
import { CampaignStatusTag } from "./CampaignStatusTag";
import { SegmentSelect, TemplateSelect } from "./PickSelects";
import { RouterLink } from "./RouterLink";

export function CampaignPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation(["marketing", "common"]);
  const { data: campaign, error, isLoading } = useCampaign(id);

  if (isLoading) return <Spin />;
  if (error || !campaign) return <Alert type="error" showIcon title={errorText(t, error)} />;
  return <CampaignView campaign={campaign} />;
}

function CampaignView({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const live = campaign.status === "running";

  const steps = (["planned", "preparing", "running", "completed"] as const).map((s) => ({
    title: t(`status.${s}`),
  }));
  const cancelled = campaign.status === "cancelled";
  const goals = campaign.goals;
  const [editing, setEditing] = useState(false);
  const over = campaign.status === "completed" || cancelled;

  return (
    <Flex vertical gap={16}>
      <RouterLink to="/marketing/campaigns">{t("campaign.backToList")}</RouterLink>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {campaign.name}
          </Typography.Title>
          <CampaignStatusTag status={campaign.status} />
        </Flex>
        <StatusActions campaign={campaign} />
      </Flex>
      <Steps
        size="small"
        current={stepOf(campaign.status)}
        status={cancelled ? "error" : campaign.status === "completed" ? "finish" : "process"}
        items={cancelled ? [...steps.slice(0, 3), { title: t("status.cancelled") }] : steps}
      />
      <Card
        title={t("campaign.plan")}
        size="small"
        extra={
          !over && (
            <Can permission="campaigns:write">
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t("campaign.editPlan")}
              </Button>
            </Can>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t("campaign.channels")}>
            {campaign.channels.map((c) => t(`channel.${c}`)).join(t("listSeparator"))}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.budget")}>
            {format.money(campaign.budget, campaign.currency)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.cost")}>
            {format.money(campaign.cost, campaign.currency)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.startsAt")}>
            {format.dateTime(campaign.starts_at)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.endsAt")}>
            {format.dateTime(campaign.ends_at)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.targetParticipants")}>
            {format.number(goals.target_participants)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.targetConversions")}>
            {format.number(goals.target_conversions)}
          </Descriptions.Item>
          <Descriptions.Item label={t("campaign.targetRevenue")}>
            {format.money(goals.target_revenue, campaign.currency)}
          </Descriptions.Item>
          {goals.description && (
            <Descriptions.Item label={t("campaign.goalDescription")}>
              {goals.description}
            </Descriptions.Item>
          )}
          {campaign.description && (
            <Descriptions.Item label={t("campaign.description")}>
              {campaign.description}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <AudienceCard campaign={campaign} />
      {campaign.send && <CampaignResults campaign={campaign} live={live} />}
      {campaign.send && <CampaignRecipients campaignId={campaign.id} live={live} />}
      {editing && (
        // Mounted per opening, so the form starts from the campaign as it is now.
        <CampaignFormModal open onClose={() => setEditing(false)} campaign={campaign} />
      )}
    </Flex>
  );
}

function useOnConflict(id: string) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation(["marketing", "common"]);
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 412) {
      void client.invalidateQueries({ queryKey: ["marketing", "campaigns", "one", id] });
    }
    message.error(errorText(t, error));
  };
}

function StatusActions({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation(["marketing", "common"]);
  const change = useChangeStatus(campaign.id);
  const onError = useOnConflict(campaign.id);
  const { message } = App.useApp();
  const actions = statusActions(campaign);
  if (!actions.length) return null;
  const run = (status: CampaignStatus) =>
    change.mutate(
      { version: campaign.version, status },
      {
        onSuccess: () => void message.success(t("campaign.statusChanged")),
        onError,
      },
    );
  return (
    <Can permission="campaigns:write">
      <Flex gap={8} wrap>
        {actions.map((status) =>
          status === "cancelled" ? (
            <Popconfirm
              key={status}
              title={t("campaign.confirmCancel")}
              okText={t("actions.confirm", { ns: "common" })}
              cancelText={t("actions.back", { ns: "common" })}
              onConfirm={() => run(status)}
            >
              <Button danger loading={change.isPending}>
                {t("transition.cancelled")}
              </Button>
            </Popconfirm>
          ) : (
            <Button key={status} loading={change.isPending} onClick={() => run(status)}>
              {t(`transition.${status}`)}
            </Button>
          ),
        )}
      </Flex>
    </Can>
  );
}

function AudienceCard({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation(["marketing", "common"]);
  const { can } = useSession();
  const { message } = App.useApp();
  const patch = usePatchCampaign(campaign.id);
  const launch = useLaunchCampaign(campaign.id);
  const onError = useOnConflict(campaign.id);
  const editable = isEditable(campaign.status) && can("campaigns:write");
  const blocker = launchBlocker(campaign);

  const save = (field: "segment_id" | "template_id", value: string | undefined) =>
    patch.mutate(
      { version: campaign.version, body: { [field]: value ?? null } },
      { onSuccess: () => void message.success(t("campaign.saved")), onError },
    );

  const sendLaunch = () =>
    launch.mutate(undefined, {
      onSuccess: (result) =>
        void message.success(
          t("campaign.launched", { queued: result.queued, suppressed: result.suppressed }),
        ),
      onError,
    });

  return (
    <Card title={t("campaign.audienceAndMail")} size="small">
      <Form layout="vertical">
        <Flex gap={16} wrap>
          <Form.Item
            label={t("campaign.segment")}
            htmlFor="campaign-segment"
            style={{ minWidth: 260, flex: 1 }}
          >
            <SegmentSelect
              id="campaign-segment"
              value={campaign.segment_id ?? undefined}
              disabled={!editable || patch.isPending}
              onChange={(value) => save("segment_id", value)}
            />
          </Form.Item>
          <Form.Item
            label={t("campaign.template")}
            htmlFor="campaign-template"
            style={{ minWidth: 260, flex: 1 }}
          >
            <TemplateSelect
              id="campaign-template"
              value={campaign.template_id ?? undefined}
              disabled={!editable || patch.isPending}
              onChange={(value) => save("template_id", value)}
            />
          </Form.Item>
        </Flex>
      </Form>
      {campaign.channels.includes("email") && (
        <Can permission="campaigns:send">
          <Flex gap={12} align="center" wrap>
            {campaign.send ? (
              campaign.status === "running" && (
                <Button icon={<SendOutlined />} loading={launch.isPending} onClick={sendLaunch}>
                  {t("campaign.sendAgain")}
                </Button>
              )
            ) : (
              <Popconfirm
                title={t("campaign.confirmLaunch")}
                okText={t("campaign.launch")}
                cancelText={t("actions.cancel", { ns: "common" })}
                onConfirm={sendLaunch}
                disabled={blocker !== null}
              >
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  disabled={blocker !== null}
                  loading={launch.isPending}
                >
                  {t("campaign.launch")}
                </Button>
              </Popconfirm>
            )}
            {!campaign.send && campaign.segment_id && (
              <AudienceSize segmentId={campaign.segment_id} />
            )}
            {blocker && !campaign.send && (
              <Typography.Text type="secondary">{t(`blocker.${blocker}`)}</Typography.Text>
            )}
          </Flex>
        </Can>
      )}
    </Card>
  );
}

/** How many customers the chosen segment selects now (before the send). */
function AudienceSize({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation(["marketing", "common"]);
  const { data } = useStoredPreview(segmentId);
  if (!data) return null;
  return (
    <Typography.Text data-testid="audience-size">
      {t("campaign.audienceSize", { count: data.count })}
    </Typography.Text>
  );
}
