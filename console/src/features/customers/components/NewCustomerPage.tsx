/** /customers/new: a new customer; errors go beside their fields, then the 360 opens. */
import { App, Alert, Button, Card, Flex, Form, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { ApiError, errorText, type FieldProblem, showFieldErrors } from "@/lib/api/problem";

import { useCreateCustomer } from "../api/customers";
import { type ProfileValues, toCreateBody } from "../profileForm";
import { placeDuplicate } from "./placeDuplicate";
import { ProfileFields } from "./ProfileFields";

export function NewCustomerPage() {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ProfileValues>();
  const create = useCreateCustomer();
  const [unplaced, setUnplaced] = useState<FieldProblem[]>([]);

  const submit = async (values: ProfileValues) => {
    setUnplaced([]);
    try {
      const customer = await create.mutateAsync(toCreateBody(values));
      void message.success(t("form.created", { name: customer.name }));
      void navigate(`/customers/${customer.id}`);
    } catch (error) {
      if (placeDuplicate(form, error, t)) return;
      const rest = showFieldErrors(form, error);
      setUnplaced(rest);
      if (!(error instanceof ApiError && error.problem.errors?.length)) {
        void message.error(errorText(t, error));
      }
    }
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 960 }}>
      <Link to="/customers">{t("detail.backToList")}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("form.newTitle")}
      </Typography.Title>
      <Card>
        {unplaced.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t("errors.invalid", { ns: "common" })}
            description={unplaced
              .map((problem) => `${problem.field}: ${problem.reason}`)
              .join("; ")}
          />
        )}
        <Form
          form={form}
          name="newCustomer"
          layout="vertical"
          onFinish={(values) => void submit(values)}
        >
          <ProfileFields />
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t("actions.create", { ns: "common" })}
            </Button>
            <Button onClick={() => void navigate("/customers")}>
              {t("actions.cancel", { ns: "common" })}
            </Button>
          </Space>
        </Form>
      </Card>
    </Flex>
  );
}
