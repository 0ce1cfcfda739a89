/** Create a person's account, or change their name, roles, team or password. */
import { Alert, App, Checkbox, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { useCreateUser, useUpdateUser, type User } from "../api/users";
import { PERSON_ROLES, type Role } from "../lib/access";

interface Values {
  email: string;
  display_name: string;
  password?: string;
  roles: Role[];
  team?: string;
}

export function UserForm({
  user,
  open,
  onClose,
}: {
  user: User | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation(["settings", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [problem, setProblem] = useState<string | null>(null);
  const editing = user !== null;

  const submit = async (values: Values) => {
    setProblem(null);
    const team = values.team?.trim() || null;
    try {
      if (user) {
        await update.mutateAsync({
          user,
          patch: {
            display_name: values.display_name,
            roles: values.roles,
            ...(team !== user.team ? { team } : {}),
            ...(values.password ? { password: values.password } : {}),
          },
        });
        message.success(t("users.saved"));
      } else {
        await create.mutateAsync({
          email: values.email.trim(),
          display_name: values.display_name,
          password: values.password ?? "",
          roles: values.roles,
          team,
          active: true,
        });
        message.success(t("users.createdMessage"));
      }
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.isConflict) {
        message.warning(t("errors.conflict", { ns: "common" }));
        onClose();
        return;
      }
      const unplaced = showFieldErrors(form, error);
      const placedAll =
        error instanceof ApiError && !!error.problem.errors?.length && !unplaced.length;
      if (!placedAll)
        setProblem(
          unplaced.length ? unplaced.map((item) => item.reason).join(" ") : errorText(t, error),
        );
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t("users.editTitle", { email: user.email }) : t("users.new")}
      okText={editing ? t("actions.save", { ns: "common" }) : t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="user"
        onFinish={(values) => void submit(values)}
        initialValues={
          user
            ? {
                email: user.email,
                display_name: user.display_name,
                roles: user.roles,
                team: user.team ?? "",
              }
            : { roles: [] }
        }
      >
        <Form.Item
          name="email"
          label={t("users.email")}
          rules={[{ required: !editing, type: "email", message: t("users.emailRequired") }]}
        >
          <Input type="email" autoComplete="off" disabled={editing} />
        </Form.Item>
        <Form.Item name="display_name" label={t("users.name")}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={editing ? t("users.newPassword") : t("users.password")}
          extra={t("users.passwordHelp")}
          rules={[
            { required: !editing, message: t("users.passwordRequired") },
            { min: 12, message: t("users.passwordHelp") },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t("users.roles")}
          rules={[{ required: true, type: "array", min: 1, message: t("users.rolesRequired") }]}
        >
          <Checkbox.Group
            options={PERSON_ROLES.map((role) => ({
              value: role,
              label: t(`roles.${role}`, { ns: "common" }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="team"
          label={t("users.team")}
          extra={t("users.teamHelp")}
          dependencies={["roles"]}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                (getFieldValue("roles") as Role[] | undefined)?.includes("sales_manager") &&
                !value?.trim()
                  ? Promise.reject(new Error(t("users.teamRequired")))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
