/** /marketing/segments: the saved audiences; each opens in the rule builder. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Segment, useSegments } from "../api/segments";
import { ruleCount } from "../lib/rules";
import { RouterLink } from "./RouterLink";

const PAGE_SIZE = 20;

export function SegmentList() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const { data, isFetching, error } = useSegments({
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const columns: ColumnsType<Segment> = [
    {
      title: t("segment.name"),
      dataIndex: "name",
      render: (name: string, segment) => (
        <RouterLink to={`/marketing/segments/${segment.id}`}>{name}</RouterLink>
      ),
    },
    {
      title: t("segment.kind"),
      dataIndex: "kind",
      render: (kind: Segment["kind"]) => <Tag>{t(`segmentKind.${kind}`)}</Tag>,
    },
    {
      title: t("segment.definition"),
      key: "definition",
      render: (_, segment) =>
        segment.kind === "static"
          ? t("segment.members", { count: segment.member_count })
          : t("segment.ruleCount", { count: ruleCount(segment.rules) }),
    },
    {
      title: t("segment.updatedAt"),
      dataIndex: "updated_at",
      render: (value: string) => format.dateTime(value),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("segments.title")}
        </Typography.Title>
        <Can permission="campaigns:write">
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => void navigate("/marketing/segments/new")}
          >
            {t("segments.new")}
          </Button>
        </Can>
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Segment>
        rowKey="id"
        loading={isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
    </Flex>
  );
}
