/** Users and roles: find people, create an account, change roles or team, deactivate. */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { errorText } from "@/lib/api/problem";

import { type User, type UserFilters, useUpdateUser, useUsers } from "../api/users";
import { ROLES, type Role } from "../lib/access";
import { QueryError } from "./QueryError";
import { UserForm } from "./UserForm";

const PAGE = 20;

export function UsersPage() {
  const { t } = useTranslation(["settings", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const { me } = useSession();
  const [filters, setFilters] = useState<UserFilters>({ offset: 0, limit: PAGE });
  const users = useUsers(filters);
  const update = useUpdateUser();
  const [editing, setEditing] = useState<User | null>(null);
  const [formOpen, setFormOpen] = useState(false);

  const setActive = (user: User, active: boolean) =>
    update.mutate(
      { user, patch: { active } },
      {
        onSuccess: () => message.success(active ? t("users.activated") : t("users.deactivated")),
        onError: (error) => message.error(errorText(t, error)),
      },
    );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t("users.title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setFormOpen(true);
          }}
        >
          {t("users.new")}
        </Button>
      </Flex>
      <Form
        layout="inline"
        style={{ rowGap: 8 }}
        onValuesChange={(_, values: { email?: string; role?: Role; active?: string }) =>
          setFilters({
            offset: 0,
            limit: PAGE,
            email: values.email?.trim() || undefined,
            role: values.role,
            active: values.active === undefined ? undefined : values.active === "yes",
          })
        }
      >
        <Form.Item name="email" label={t("users.searchEmail")}>
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="role" label={t("users.role")}>
          <Select
            allowClear
            style={{ width: 160 }}
            options={ROLES.map((role) => ({
              value: role,
              label: t(`roles.${role}`, { ns: "common" }),
            }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t("users.status")}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={[
              { value: "yes", label: t("users.active") },
              { value: "no", label: t("users.inactive") },
            ]}
          />
        </Form.Item>
      </Form>
      {users.error && <QueryError error={users.error} onRetry={() => void users.refetch()} />}
      <Table<User>
        rowKey="id"
        loading={users.isFetching && !users.data}
        dataSource={users.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{
          current: filters.offset / PAGE + 1,
          pageSize: PAGE,
          total: users.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => setFilters({ ...filters, offset: (page - 1) * PAGE }),
        }}
        columns={[
          { title: t("users.email"), dataIndex: "email" },
          { title: t("users.name"), dataIndex: "display_name" },
          {
            title: t("users.roles"),
            dataIndex: "roles",
            render: (roles: Role[]) => (
              <Space size={4} wrap>
                {roles.map((role) => (
                  <Tag key={role}>{t(`roles.${role}`, { ns: "common" })}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("users.team"),
            dataIndex: "team",
            render: (team: string | null) => team ?? "—",
          },
          {
            title: t("users.status"),
            dataIndex: "active",
            render: (active: boolean) =>
              active ? (
                <Tag color="#1b5e20">{t("users.active")}</Tag>
              ) : (
                <Tag>{t("users.inactive")}</Tag>
              ),
          },
          {
            title: t("users.created"),
            dataIndex: "created_at",
            render: (value: string) => format.date(value),
          },
          {
            title: t("users.actions"),
            key: "actions",
            render: (_, user) => (
              <Space>
                <Button
                  size="small"
                  aria-label={t("users.editOne", { email: user.email })}
                  onClick={() => {
                    setEditing(user);
                    setFormOpen(true);
                  }}
                >
                  {t("actions.edit", { ns: "common" })}
                </Button>
                {user.id !== me?.subject &&
                  (user.active ? (
                    <Popconfirm
                      title={t("users.confirmDeactivate", { email: user.email })}
                      okText={t("users.deactivate")}
                      cancelText={t("actions.cancel", { ns: "common" })}
                      onConfirm={() => setActive(user, false)}
                    >
                      <Button
                        size="small"
                        danger
                        aria-label={t("users.deactivateOne", { email: user.email })}
                      >
                        {t("users.deactivate")}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button
                      size="small"
                      aria-label={t("users.activateOne", { email: user.email })}
                      onClick={() => setActive(user, true)}
                    >
                      {t("users.activate")}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      {formOpen && <UserForm user={editing} open onClose={() => setFormOpen(false)} />}
    </Flex>
  );
}
