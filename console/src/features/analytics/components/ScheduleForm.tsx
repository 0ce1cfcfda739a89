/** A new weekly report e-mail: which report, in what format, to whom, when (UTC). */
import { App, Form, Input, InputNumber, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { type ScheduleCreate, useCreateSchedule } from "../api/schedules";

export const REPORTS = [
  "funnel",
  "performance",
  "revenue-trend",
  "forecast",
  "campaigns",
  "support",
] as const;
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

interface Values {
  name: string;
  report: ScheduleCreate["report"];
  format: "csv" | "xlsx";
  recipients: string[];
  weekday: number;
  hour: number;
  group_by: "owner" | "team";
}

export function ScheduleForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(["analytics", "common"]);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateSchedule();

  const submit = async (values: Values) => {
    try {
      const { group_by, ...rest } = values;
      await create.mutateAsync({ ...rest, filters: { group_by } });
      message.success(t("schedules.created"));
      form.resetFields();
      onClose();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      const placed =
        error instanceof ApiError && (error.problem.errors?.length ?? 0) > unplaced.length;
      if (!placed) message.error(errorText(t, error));
    }
  };

  return (
    <Modal
      open={open}
      title={t("schedules.new")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="schedule"
        onFinish={(values) => void submit(values)}
        initialValues={{ format: "xlsx", weekday: 0, hour: 8, group_by: "owner", recipients: [] }}
      >
        <Form.Item
          name="name"
          label={t("schedules.name")}
          rules={[{ required: true, message: t("schedules.nameRequired") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="report"
          label={t("schedules.report")}
          rules={[{ required: true, message: t("schedules.reportRequired") }]}
        >
          <Select
            options={REPORTS.map((report) => ({ value: report, label: t(`reports.${report}`) }))}
          />
        </Form.Item>
        <Form.Item name="format" label={t("schedules.format")}>
          <Select
            options={[
              { value: "xlsx", label: "XLSX" },
              { value: "csv", label: "CSV" },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="recipients"
          label={t("schedules.recipients")}
          extra={t("schedules.recipientsHelp")}
          rules={[
            { required: true, type: "array", min: 1, message: t("schedules.recipientsRequired") },
          ]}
        >
          <Select mode="tags" tokenSeparators={[",", " "]} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="weekday" label={t("schedules.weekday")}>
          <Select options={WEEKDAYS.map((day) => ({ value: day, label: t(`weekdays.${day}`) }))} />
        </Form.Item>
        <Form.Item name="hour" label={t("schedules.hour")}>
          <InputNumber min={0} max={23} />
        </Form.Item>
        <Form.Item name="group_by" label={t("filters.groupBy")}>
          <Select
            options={[
              { value: "owner", label: t("filters.owner") },
              { value: "team", label: t("filters.team") },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
