/**
 * /customers: search, filters, server-side sort and paging with the total; a table at
 * a desk, a list of cards on a phone. The list's state is in the address.
 */
import { FilterOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Flex,
  Grid,
  Input,
  Pagination,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import type { TableProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";

import { Can } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type Customer, useCustomerList } from "../api/customers";
import {
  type ListState,
  PAGE_SIZES,
  parseListState,
  SORTABLE,
  type SortField,
  toSearchParams,
  withFilter,
} from "../listQuery";
import { CustomerFilters } from "./CustomerFilters";
import { ExportButton } from "./ExportButton";
import { SegmentTags } from "./SegmentTags";
import { TierTag } from "./TierTag";

export function CustomerList() {
  const { t } = useTranslation(["customers", "common"]);
  const format = useFormat();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [params, setParams] = useSearchParams();
  const state = parseListState(params);
  const [showFilters, setShowFilters] = useState(() =>
    Object.keys(state.filters).some((name) => name !== "q"),
  );
  const { data, error, isFetching, refetch } = useCustomerList(state);
  // The search box keeps focus and what is typed; it follows the address when that
  // changes from elsewhere (the back button, a link).
  const q = state.filters.q ?? "";
  const [text, setText] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  if (q !== shownQ) {
    setShownQ(q);
    setText(q);
  }

  const go = (next: ListState) => setParams(toSearchParams(next));
  const sortOrder = (field: SortField) =>
    state.sort.field === field ? (state.sort.descending ? "descend" : "ascend") : null;

  const columns: TableProps<Customer>["columns"] = [
    {
      key: "name",
      title: t("fields.name"),
      sorter: true,
      sortOrder: sortOrder("name"),
      render: (_, customer) => <Link to={customer.id}>{customer.name}</Link>,
    },
    {
      key: "member_id",
      dataIndex: "member_id",
      title: t("fields.member_id"),
      sorter: true,
      sortOrder: sortOrder("member_id"),
    },
    {
      key: "company",
      dataIndex: "company",
      title: t("fields.company"),
      render: (value) => value ?? "—",
    },
    { key: "phone", dataIndex: "phone", title: t("fields.phone"), render: (value) => value ?? "—" },
    {
      key: "tier",
      title: t("fields.tier"),
      sorter: true,
      sortOrder: sortOrder("tier"),
      render: (_, customer) => <TierTag tier={customer.tier} />,
    },
    {
      key: "total_consumption",
      title: t("fields.total_consumption"),
      align: "right",
      sorter: true,
      sortOrder: sortOrder("total_consumption"),
      render: (_, customer) => format.money(customer.consumption.total_consumption),
    },
    {
      key: "value",
      title: t("fields.value"),
      render: (_, customer) => (
        <Space size={4} wrap>
          <span>{customer.value.score}</span>
          <SegmentTags segments={customer.value.segments} />
        </Space>
      ),
    },
    {
      key: "region",
      dataIndex: "region",
      title: t("fields.region"),
      render: (value) => value ?? "—",
    },
    {
      key: "tags",
      title: t("fields.tags"),
      render: (_, customer) => customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
    },
    {
      key: "created_at",
      title: t("fields.created_at"),
      sorter: true,
      sortOrder: sortOrder("created_at"),
      render: (_, customer) => format.date(customer.created_at),
    },
  ];

  const onTableChange: TableProps<Customer>["onChange"] = (pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = single?.columnKey as SortField | undefined;
    const sort =
      single?.order && field && SORTABLE.includes(field)
        ? { field, descending: single.order === "descend" }
        : { field: "created_at" as SortField, descending: true };
    const sortChanged =
      sort.field !== state.sort.field || sort.descending !== state.sort.descending;
    go({
      ...state,
      sort,
      page: sortChanged ? 1 : (pagination.current ?? 1),
      pageSize: pagination.pageSize ?? state.pageSize,
    });
  };

  const total = data?.total ?? 0;
  const showTotal = (count: number) => t("common.total", { ns: "common", count });

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("list.title")}
        </Typography.Title>
        <Space wrap>
          <Can permission="customers:write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate("new")}>
              {t("list.new")}
            </Button>
          </Can>
          <Can permission="customers:import">
            <Button icon={<UploadOutlined />} onClick={() => void navigate("import")}>
              {t("actions.import", { ns: "common" })}
            </Button>
          </Can>
          <Can permission="customers:export">
            <ExportButton state={state} />
          </Can>
          <Can permission="customers:admin">
            <Button onClick={() => void navigate("duplicates")}>{t("list.duplicates")}</Button>
          </Can>
        </Space>
      </Flex>

      <Flex wrap gap={8} align="center">
        <Input.Search
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-label={t("list.search")}
          placeholder={t("list.searchPlaceholder")}
          allowClear
          enterButton={t("actions.search", { ns: "common" })}
          style={{ maxWidth: 420, flex: "1 1 260px" }}
          onSearch={(value) => go(withFilter(state, "q", value))}
        />
        <Button
          icon={<FilterOutlined />}
          aria-expanded={showFilters}
          onClick={() => setShowFilters((open) => !open)}
        >
          {t("list.filters")}
        </Button>
        {phone && (
          <Select
            aria-label={t("list.sortBy")}
            style={{ minWidth: 180 }}
            value={`${state.sort.descending ? "-" : ""}${state.sort.field}`}
            options={SORTABLE.flatMap((field) => [
              { value: field, label: t("list.sortAscending", { field: t(`fields.${field}`) }) },
              {
                value: `-${field}`,
                label: t("list.sortDescending", { field: t(`fields.${field}`) }),
              },
            ])}
            onChange={(value: string) =>
              go({
                ...state,
                page: 1,
                sort: {
                  field: value.replace(/^-/, "") as SortField,
                  descending: value.startsWith("-"),
                },
              })
            }
          />
        )}
      </Flex>
      {showFilters && (
        <CustomerFilters state={state} onApply={(filters) => go({ ...state, filters, page: 1 })} />
      )}

      {error && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, error)}
          action={
            <Button size="small" onClick={() => void refetch()}>
              {t("errors.retry", { ns: "common" })}
            </Button>
          }
        />
      )}

      {phone ? (
        <Flex vertical gap={8}>
          <ul aria-label={t("list.title")} style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {(data?.items ?? []).map((customer) => (
              <li key={customer.id} style={{ marginBottom: 8 }}>
                <Card size="small">
                  <Flex justify="space-between" align="center" gap={8}>
                    <Link to={customer.id} style={{ fontWeight: 600 }}>
                      {customer.name}
                    </Link>
                    <TierTag tier={customer.tier} />
                  </Flex>
                  <Typography.Text type="secondary">
                    {[customer.company, customer.phone, customer.region]
                      .filter(Boolean)
                      .join(" · ") || customer.member_id}
                  </Typography.Text>
                  <div>
                    {t("fields.total_consumption")}:{" "}
                    {format.money(customer.consumption.total_consumption)}
                  </div>
                </Card>
              </li>
            ))}
          </ul>
          {!isFetching && data && data.items.length === 0 && (
            <Typography.Text type="secondary">
              {t("common.empty", { ns: "common" })}
            </Typography.Text>
          )}
          <Pagination
            simple
            current={state.page}
            pageSize={state.pageSize}
            total={total}
            showTotal={showTotal}
            onChange={(page) => go({ ...state, page })}
          />
        </Flex>
      ) : (
        <Table<Customer>
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: true }}
          onChange={onTableChange}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total,
            showTotal,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES.map(String),
          }}
        />
      )}
    </Flex>
  );
}
