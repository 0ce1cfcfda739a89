/**
 * Changing a profile with If-Match: the version read goes with the change; a 412
 * means someone saved first, so the newer version is fetched and shown in the form.
 */
import { Alert, App, Button, Drawer, Form, Grid, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { type Customer, usePatchCustomer } from "../api/customers";
import { type ProfileValues, toFormValues, toPatchBody } from "../profileForm";
import { placeDuplicate } from "./placeDuplicate";
import { ProfileFields } from "./ProfileFields";

export function EditProfileDrawer({
  customer,
  onClose,
  refetch,
}: {
  customer: Customer;
  onClose: () => void;
  refetch: () => Promise<{ data?: Customer }>;
}) {
  const { t } = useTranslation(["customers", "common"]);
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<ProfileValues>();
  const patch = usePatchCustomer(customer.id);
  // The version the form was filled from: what the change is based on. The drawer is
  // mounted when it opens, so a background refetch never wipes what is typed.
  const [base, setBase] = useState<Customer>(customer);
  const [conflict, setConflict] = useState(false);

  const submit = async (values: ProfileValues) => {
    const changes = toPatchBody(base, values);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    try {
      await patch.mutateAsync({ version: base.version, changes });
      void message.success(t("form.saved"));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        const { data: newer } = await refetch();
        if (newer) {
          setBase(newer);
          form.resetFields();
          form.setFieldsValue(toFormValues(newer));
        }
        setConflict(true);
        void message.warning(t("errors.conflict", { ns: "common" }));
        return;
      }
      if (placeDuplicate(form, error, t)) return;
      showFieldErrors(form, error);
      if (!(error instanceof ApiError && error.problem.errors?.length)) {
        void message.error(errorText(t, error));
      }
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      title={t("form.editTitle", { name: customer.name })}
      size={screens.md ? 720 : "100%"}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={patch.isPending} onClick={() => form.submit()}>
            {t("actions.save", { ns: "common" })}
          </Button>
          <Button onClick={onClose}>{t("actions.cancel", { ns: "common" })}</Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t("errors.conflict", { ns: "common" })}
          description={t("form.conflictHint", { version: base.version })}
        />
      )}
      <Form
        form={form}
        name="editCustomer"
        layout="vertical"
        initialValues={toFormValues(customer)}
        onFinish={(values) => void submit(values)}
      >
        <ProfileFields maskedPii={base.pii_masked} />
      </Form>
    </Drawer>
  );
}
