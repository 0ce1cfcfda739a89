/** /marketing/segments/new and /marketing/segments/:id: the rule builder, with a live
 * preview of who the rules select (debounced, evaluated by the API). */
import { DeleteOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Spin,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { Can, useSession } from "@/lib/auth/SessionProvider";
import { useDebounced } from "@/lib/useDebounced";

import {
  type Segment,
  type SegmentCreate,
  useCreateSegment,
  useDeleteSegment,
  usePatchSegment,
  useRulesPreview,
  useSegment,
  useStoredPreview,
} from "../api/segments";
import { fromRules, type RuleValues, TIERS, toRules } from "../lib/rules";
import { SegmentPreviewPanel } from "./SegmentPreviewPanel";
import { RouterLink } from "./RouterLink";

interface Values {
  name: string;
  description?: string;
  rules: RuleValues;
}

const PREVIEW_NAME = "preview";

export function SegmentEditor() {
  const { id } = useParams();
  const { t } = useTranslation(["marketing", "common"]);
  const { data: segment, error, isLoading } = useSegment(id);
  if (id && isLoading) return <Spin />;
  if (id && (error || !segment)) return <Alert type="error" showIcon title={errorText(t, error)} />;
  return (
    <SegmentForm key={segment ? `${segment.id}-${segment.version}` : "new"} segment={segment} />
  );
}

function SegmentForm({ segment }: { segment: Segment | undefined }) {
  const { t } = useTranslation(["marketing", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { can } = useSession();
  const [form] = Form.useForm<Values>();
  const initial = useMemo<Values>(
    () => ({
      name: segment?.name ?? "",
      description: segment?.description ?? undefined,
      rules: fromRules(segment?.rules),
    }),
    [segment],
  );
  const [rules, setRules] = useState<RuleValues>(initial.rules);
  const settled = useDebounced(rules, 400);
  const kind = segment?.kind ?? "rules";
  const previewBody = useMemo<SegmentCreate>(
    () => ({
      name: PREVIEW_NAME,
      kind,
      rules: toRules(settled),
      customer_ids: [],
    }),
    [settled, kind],
  );
  // A static list's members are not editable here: its stored preview is shown.
  const preview = useRulesPreview(kind === "rules" ? previewBody : null);
  const create = useCreateSegment();
  const patch = usePatchSegment(segment?.id ?? "");
  const remove = useDeleteSegment();
  const readOnly = !can("campaigns:write");

  const submit = async (values: Values) => {
    const body = {
      name: values.name,
      description: values.description || null,
      rules: toRules(values.rules ?? {}),
    };
    try {
      if (segment) {
        await patch.mutateAsync({ version: segment.version, body });
      } else {
        const created = await create.mutateAsync({ ...body, kind: "rules", customer_ids: [] });
        void navigate(`/marketing/segments/${created.id}`, { replace: true });
      }
      message.success(t("segment.saved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void client.invalidateQueries({ queryKey: ["marketing", "segments", "one", segment?.id] });
      }
      const unplaced = showFieldErrors(form, error);
      if (unplaced.length || !(error instanceof ApiError && error.problem.errors?.length))
        message.error(errorText(t, error));
    }
  };

  const list = (name: keyof RuleValues, label: string, help?: string) => (
    <Col xs={24} md={12}>
      <Form.Item name={["rules", name]} label={label} extra={help}>
        <Select mode="tags" tokenSeparators={[",", "，"]} placeholder={t("rule.typeAndEnter")} />
      </Form.Item>
    </Col>
  );
  const number = (name: keyof RuleValues, label: string, precision: number, max?: number) => (
    <Col xs={24} sm={12}>
      <Form.Item name={["rules", name]} label={label}>
        <InputNumber
          min={precision ? 0 : 1}
          max={max}
          precision={precision}
          style={{ width: "100%" }}
        />
      </Form.Item>
    </Col>
  );

  return (
    <Flex vertical gap={16}>
      <RouterLink to="/marketing/segments">{t("segment.backToList")}</RouterLink>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {segment ? segment.name : t("segments.new")}
        </Typography.Title>
        {segment && (
          <Can permission="campaigns:write">
            <Popconfirm
              title={t("segment.confirmDelete")}
              okText={t("actions.delete", { ns: "common" })}
              cancelText={t("actions.cancel", { ns: "common" })}
              onConfirm={() =>
                remove.mutate(segment.id, {
                  onSuccess: () => void navigate("/marketing/segments"),
                  onError: (error) => void message.error(errorText(t, error)),
                })
              }
            >
              <Button danger icon={<DeleteOutlined />}>
                {t("actions.delete", { ns: "common" })}
              </Button>
            </Popconfirm>
          </Can>
        )}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card size="small" title={t("segment.rules")}>
            <Form<Values>
              form={form}
              layout="vertical"
              initialValues={initial}
              disabled={readOnly}
              onFinish={submit}
              onValuesChange={(_, all) => setRules({ ...(all.rules ?? {}) })}
            >
              <Form.Item
                name="name"
                label={t("segment.name")}
                rules={[{ required: true, message: t("segment.nameRequired") }]}
              >
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="description" label={t("segment.description")}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              {kind === "static" ? (
                <Alert
                  type="info"
                  showIcon
                  title={t("segment.staticInfo", { count: segment?.member_count ?? 0 })}
                />
              ) : (
                <>
                  <Typography.Paragraph type="secondary">
                    {t("segment.rulesHelp")}
                  </Typography.Paragraph>
                  <Row gutter={16}>
                    <Col xs={24} md={12}>
                      <Form.Item name={["rules", "tiers"]} label={t("rule.tiers")}>
                        <Select
                          mode="multiple"
                          allowClear
                          placeholder={t("rule.anyTier")}
                          options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
                        />
                      </Form.Item>
                    </Col>
                    {list("tags_any", t("rule.tags_any"))}
                    {list("tags_all", t("rule.tags_all"))}
                    {list("regions", t("rule.regions"))}
                    {list("industries", t("rule.industries"))}
                    {list("company_sizes", t("rule.company_sizes"))}
                    {number("min_consumption", t("rule.min_consumption"), 2)}
                    {number("max_consumption", t("rule.max_consumption"), 2)}
                    {number("active_within_days", t("rule.active_within_days"), 0, 3650)}
                    {number("inactive_for_days", t("rule.inactive_for_days"), 0, 3650)}
                  </Row>
                </>
              )}
              {!readOnly && (
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={create.isPending || patch.isPending}
                >
                  {t("actions.save", { ns: "common" })}
                </Button>
              )}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          {kind === "rules" ? (
            <SegmentPreviewPanel
              preview={preview.data}
              loading={preview.isFetching}
              error={preview.error}
            />
          ) : (
            segment && <StoredPreview id={segment.id} />
          )}
        </Col>
      </Row>
    </Flex>
  );
}

function StoredPreview({ id }: { id: string }) {
  const query = useStoredPreview(id);
  return (
    <SegmentPreviewPanel preview={query.data} loading={query.isFetching} error={query.error} />
  );
}
