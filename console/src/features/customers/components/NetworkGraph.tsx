/** The customer's relationship network (C-7) as an ECharts graph, with a table of the
 * same nodes (degree, betweenness, community) for keyboard and screen-reader use. */
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from "antd";
import { GraphChart } from "echarts/charts";
import { AriaComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";
import { Can } from "@/lib/auth/SessionProvider";

import { type NetworkNode, searchCustomers, useNeighbourhood, useRelate } from "../api/network";

echarts.use([GraphChart, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

const ORG_PREFIX = "org:";

function RelateForm({ customerId }: { customerId: string }) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const relate = useRelate();
  const [form] = Form.useForm<{ target_id: string; kind: string; weight: number }>();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);

  const search = async (text: string) => {
    if (text.trim().length < 1) return;
    try {
      const found = await searchCustomers(text.trim());
      setOptions(
        found
          .filter((customer) => customer.id !== customerId)
          .map((customer) => ({
            value: customer.id,
            label: `${customer.name} · ${customer.member_id}`,
          })),
      );
    } catch (error) {
      void message.error(errorText(t, error));
    }
  };

  return (
    <Form
      form={form}
      name="relateCustomer"
      layout="inline"
      initialValues={{ kind: "referral", weight: 1 }}
      onFinish={async (values) => {
        try {
          await relate.mutateAsync({ source_id: customerId, ...values });
          form.resetFields();
          void message.success(t("network.related"));
        } catch (error) {
          showFieldErrors(form, error);
          if (!(error instanceof ApiError && error.problem.errors?.length)) {
            void message.error(errorText(t, error));
          }
        }
      }}
    >
      <Form.Item
        name="target_id"
        label={t("network.target")}
        rules={[{ required: true, message: t("network.targetRequired") }]}
      >
        <Select
          showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
          options={options}
          style={{ minWidth: 240 }}
          placeholder={t("list.searchPlaceholder")}
        />
      </Form.Item>
      <Form.Item name="kind" label={t("network.kind")}>
        <Input style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="weight" label={t("network.weight")}>
        <InputNumber min={0.1} max={10} step={0.5} />
      </Form.Item>
      <Button htmlType="submit" loading={relate.isPending}>
        {t("network.relate")}
      </Button>
    </Form>
  );
}

export default function NetworkGraph({ customerId }: { customerId: string }) {
  const { t } = useTranslation(["customers", "common"]);
  const [radius, setRadius] = useState(1);
  const { data, isLoading, error } = useNeighbourhood(customerId, radius);

  const option = useMemo(() => {
    if (!data) return undefined;
    const communities = [...new Set(data.nodes.map((node) => node.community))].sort(
      (a, b) => a - b,
    );
    return {
      aria: { enabled: true },
      tooltip: {},
      legend: {
        data: communities.map((c) => t("network.community", { number: c + 1 })),
        bottom: 0,
      },
      series: [
        {
          type: "graph",
          layout: "force",
          roam: true,
          draggable: true,
          force: { repulsion: 220, edgeLength: [60, 140] },
          categories: communities.map((c) => ({ name: t("network.community", { number: c + 1 }) })),
          label: { show: true, position: "right", formatter: "{b}" },
          data: data.nodes.map((node) => ({
            id: node.id,
            name: node.label,
            category: communities.indexOf(node.community),
            symbol: node.kind === "customer" ? "circle" : "rect",
            symbolSize: node.id === customerId ? 36 : 16 + Math.min(node.degree, 10) * 2,
            value: node.betweenness,
          })),
          links: data.edges.map((edge) => ({
            source: edge.source,
            target: edge.target,
            value: edge.weight,
            lineStyle: { width: Math.min(1 + edge.weight, 6) },
          })),
        },
      ],
    };
  }, [data, customerId, t]);

  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Typography.Text id="network-radius">{t("network.radius")}</Typography.Text>
        <Select
          aria-labelledby="network-radius"
          value={radius}
          onChange={setRadius}
          options={[1, 2, 3].map((value) => ({
            value,
            label: t("network.hops", { count: value }),
          }))}
          style={{ width: 120 }}
        />
      </Space>
      <Can permission="customers:write">
        <RelateForm customerId={customerId} />
      </Can>
      {isLoading && <Spin />}
      {error && <Typography.Text type="danger">{errorText(t, error)}</Typography.Text>}
      {data && option && (
        <>
          <div role="img" aria-label={t("network.graphLabel", { count: data.nodes.length })}>
            <ReactEChartsCore echarts={echarts} option={option} style={{ height: 380 }} notMerge />
          </div>
          <Table<NetworkNode>
            rowKey="id"
            size="small"
            scroll={{ x: true }}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={data.nodes}
            columns={[
              {
                key: "label",
                title: t("network.node"),
                render: (_, node) =>
                  node.kind === "customer" &&
                  !node.id.startsWith(ORG_PREFIX) &&
                  node.id !== customerId ? (
                    <Link to={`/customers/${node.id}`}>{node.label}</Link>
                  ) : (
                    node.label
                  ),
              },
              {
                key: "kind",
                title: t("network.nodeKind"),
                render: (_, node) =>
                  node.kind === "customer" ? t("network.customer") : t("network.organisation"),
              },
              { key: "degree", dataIndex: "degree", title: t("network.degree") },
              {
                key: "betweenness",
                title: t("network.betweenness"),
                render: (_, node) => node.betweenness.toFixed(3),
              },
              {
                key: "community",
                title: t("network.communityColumn"),
                render: (_, node) => node.community + 1,
              },
            ]}
          />
        </>
      )}
    </Flex>
  );
}
