/** A new task for oneself, with a due date, kind and priority. */
import { useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Modal, Select } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

import { ApiError, errorText, showFieldErrors } from "@/lib/api/problem";

import { createTask, taskKeys, type TaskCreate } from "../api/tasks";

interface Values {
  title: string;
  due_at: Dayjs | null;
  kind: TaskCreate["kind"];
  priority: TaskCreate["priority"];
  description?: string;
}

const KINDS: TaskCreate["kind"][] = ["call", "email", "meeting", "visit", "todo"];
const PRIORITIES: TaskCreate["priority"][] = ["low", "normal", "high"];

export function TaskForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();

  const save = async () => {
    const values = await form.validateFields();
    try {
      await createTask({
        title: values.title,
        kind: values.kind,
        priority: values.priority,
        description: values.description || null,
        due_at: values.due_at ? values.due_at.toISOString() : null,
      });
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      void message.success(t("tasks.created"));
      onClose();
    } catch (error) {
      const unplaced = showFieldErrors(form, error);
      if (!(error instanceof ApiError) || !error.problem.errors?.length || unplaced.length) {
        void message.error(errorText(t, error));
      }
    }
  };

  return (
    <Modal
      open
      title={t("tasks.newTitle")}
      okText={t("actions.create", { ns: "common" })}
      cancelText={t("actions.cancel", { ns: "common" })}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        name="newTask"
        layout="vertical"
        initialValues={{ kind: "todo", priority: "normal" }}
      >
        <Form.Item
          name="title"
          label={t("taskFields.title")}
          rules={[{ required: true, whitespace: true, message: t("gate.required") }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="due_at" label={t("taskFields.due_at")}>
          <DatePicker showTime={{ format: "HH:mm" }} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="kind" label={t("taskFields.kind")}>
          <Select options={KINDS.map((kind) => ({ value: kind, label: t(`taskKind.${kind}`) }))} />
        </Form.Item>
        <Form.Item name="priority" label={t("taskFields.priority")}>
          <Select
            options={PRIORITIES.map((priority) => ({
              value: priority,
              label: t(`priority.${priority}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t("taskFields.description")}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
