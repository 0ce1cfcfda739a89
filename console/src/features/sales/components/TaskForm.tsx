/** A new task for oneself, with a due time, kind and priority. A due time that does not
 * read as one is refused beside the field, never saved as "no due date". */
import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";

import { formProblem } from "@/lib/api/problem";
import { useFormat } from "@/lib/i18n/format";

import { createTask, taskKeys, type TaskCreate } from "../api/tasks";
import { DUE_AT_PATTERN, readDueAt } from "../lib/dueAt";
import { DueAtField } from "./DueAtField";

interface Values {
  title: string;
  /** As typed; read by readDueAt. */
  due_at?: string;
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
  const format = useFormat();
  const [form] = Form.useForm<Values>();
  const due = readDueAt(Form.useWatch("due_at", form) ?? "");

  const save = async () => {
    // The form shows what is wrong beside each field; nothing more to say or send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const dueAt = readDueAt(values.due_at ?? "");
    try {
      await createTask({
        title: values.title,
        kind: values.kind,
        priority: values.priority,
        description: values.description || null,
        due_at: dueAt.kind === "time" ? dueAt.at.toISOString() : null,
      });
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      void message.success(t("tasks.created"));
      onClose();
    } catch (error) {
      const problem = formProblem(form, error, t);
      if (problem) void message.error(problem);
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
        <Form.Item
          name="due_at"
          label={t("taskFields.due_at")}
          validateTrigger={["onBlur"]}
          extra={
            due.kind === "time"
              ? t("tasks.dueReads", { when: format.dateTime(due.at) })
              : t("tasks.dueHint", { pattern: DUE_AT_PATTERN })
          }
          rules={[
            {
              validator: (_, value: string | undefined) =>
                readDueAt(value ?? "").kind === "invalid"
                  ? Promise.reject(new Error(t("tasks.dueInvalid", { pattern: DUE_AT_PATTERN })))
                  : Promise.resolve(),
            },
          ]}
        >
          <DueAtField />
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
