/** /marketing/templates: the e-mail templates; each opens in the editor. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Template, useTemplates } from "../api/templates";
import { RouterLink } from "./RouterLink";

const PAGE_SIZE = 20;

export function TemplateList() {
  const { t } = useTranslation(["marketing", "common"]);
  const format = useFormat();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const { data, isFetching, error } = useTemplates({
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const columns: ColumnsType<Template> = [
    {
      title: t("template.name"),
      dataIndex: "name",
      render: (name: string, template) => (
        <RouterLink to={`/marketing/templates/${template.id}`}>{name}</RouterLink>
      ),
    },
    { title: t("template.subject"), dataIndex: "subject" },
    {
      title: t("template.updatedAt"),
      dataIndex: "updated_at",
      render: (value: string) => format.dateTime(value),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("templates.title")}
        </Typography.Title>
        <Can permission="campaigns:write">
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => void navigate("/marketing/templates/new")}
          >
            {t("templates.new")}
          </Button>
        </Can>
      </Flex>
      {error && <Alert type="error" showIcon title={errorText(t, error)} />}
      <Table<Template>
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
