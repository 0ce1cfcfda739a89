/** The list's filters: tier, value segment, tag, region, industry, team, and "only mine". */
import { Button, Checkbox, Flex, Form, Input, Select } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/lib/auth/SessionProvider";

import { type FilterName, type ListState, SEGMENTS, TIERS } from "../listQuery";

type Values = {
  tier?: string;
  segment?: string;
  tag?: string;
  region?: string;
  industry?: string;
  team?: string;
  mine?: boolean;
};

const TEXT: FilterName[] = ["tag", "region", "industry", "team"];

export function CustomerFilters({
  state,
  onApply,
}: {
  state: ListState;
  onApply: (filters: ListState["filters"]) => void;
}) {
  const { t } = useTranslation(["customers", "common"]);
  const { me } = useSession();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    form.setFieldsValue({
      tier: state.filters.tier,
      segment: state.filters.segment,
      tag: state.filters.tag,
      region: state.filters.region,
      industry: state.filters.industry,
      team: state.filters.team,
      mine: Boolean(me && state.filters.owner_id === me.subject),
    });
  }, [form, state.filters, me]);

  const apply = (values: Values) => {
    const filters: ListState["filters"] = { q: state.filters.q };
    if (values.tier) filters.tier = values.tier;
    if (values.segment) filters.segment = values.segment;
    for (const name of TEXT) {
      const value = (values[name as keyof Values] as string | undefined)?.trim();
      if (value) filters[name] = value;
    }
    if (values.mine && me) filters.owner_id = me.subject;
    else if (state.filters.owner_id && state.filters.owner_id !== me?.subject) {
      filters.owner_id = state.filters.owner_id; // an owner chosen elsewhere stays
    }
    onApply(filters);
  };

  return (
    <Form
      form={form}
      name="customerFilters"
      layout="inline"
      onFinish={apply}
      aria-label={t("list.filters")}
    >
      <Flex wrap gap={8} align="center">
        <Form.Item name="tier" label={t("fields.tier")} style={{ margin: 0 }}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t("list.anyTier")}
            options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
          />
        </Form.Item>
        <Form.Item name="segment" label={t("list.valueSegment")} style={{ margin: 0 }}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t("list.anySegment")}
            options={SEGMENTS.map((segment) => ({
              value: segment,
              label: t(`segment.${segment.replace(" ", "_")}`),
            }))}
          />
        </Form.Item>
        {TEXT.map((name) => (
          <Form.Item
            key={name}
            name={name}
            label={t(`fields.${name === "tag" ? "tags" : name}`)}
            style={{ margin: 0 }}
          >
            <Input allowClear style={{ width: 130 }} />
          </Form.Item>
        ))}
        <Form.Item name="mine" valuePropName="checked" style={{ margin: 0 }}>
          <Checkbox>{t("list.onlyMine")}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("list.applyFilters")}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            onApply({ q: state.filters.q });
          }}
        >
          {t("actions.reset", { ns: "common" })}
        </Button>
      </Flex>
    </Form>
  );
}
