/** My tasks (S-9): overdue, today, later; complete one with a tap, and see when a done one
 * was completed and reopen it. "Overdue" (kept in the
 * address as `?view=overdue`) lists only what the sales service calls overdue. */
import { CheckOutlined, PlusOutlined, UndoOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  List,
  Segmented,
  Skeleton,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { DueText } from "@/components/DueText";
import { ApiError, errorText } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import {
  completeTask,
  reopenTask,
  type Task,
  type TaskFilter,
  taskKeys,
  useMyTasks,
} from "../api/tasks";
import { TAG } from "../lib/colors";
import { groupTasks, TASK_GROUPS } from "../lib/taskGroups";
import { TaskForm } from "./TaskForm";

const PRIORITY_COLOR = { low: TAG.grey, normal: TAG.blue, high: TAG.red } as const;

const VIEWS = ["active", "overdue", "done"] as const;
type View = (typeof VIEWS)[number];
const FILTER: Record<View, TaskFilter> = {
  active: {},
  overdue: { overdue: true },
  done: { status: "done" },
};

function viewOf(value: string | null): View {
  return VIEWS.find((view) => view === value) ?? "active";
}

export function TasksPage() {
  const { t } = useTranslation(["sales", "common"]);
  const { can } = useSession();
  const format = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const view = viewOf(params.get("view"));
  const setView = (next: View) => {
    const changed = new URLSearchParams(params);
    if (next === "active") changed.delete("view");
    else changed.set("view", next);
    setParams(changed, { replace: true });
  };
  const tasks = useMyTasks(FILTER[view]);
  const [creating, setCreating] = useState(false);
  const [moving, setMoving] = useState<string | null>(null);

  const move = async (task: Task, to: "done" | "reopened") => {
    setMoving(task.task_id);
    try {
      if (to === "done") await completeTask(task);
      else await reopenTask(task);
      void message.success(
        t(to === "done" ? "tasks.completed" : "tasks.reopened", { title: task.title }),
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void message.warning(t("errors.conflict", { ns: "common" }));
      } else {
        void message.error(errorText(t, error));
      }
    } finally {
      setMoving(null);
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
    }
  };

  const items = (tasks.data?.items ?? []).filter((task) =>
    view === "active" ? task.status === "open" || task.status === "in_progress" : true,
  );
  const groups = groupTasks(items, new Date());

  const renderTask = (task: Task) => (
    <List.Item
      key={task.task_id}
      actions={
        !can("sales:write")
          ? []
          : task.status === "done"
            ? [
                <Button
                  key="reopen"
                  size="small"
                  icon={<UndoOutlined />}
                  loading={moving === task.task_id}
                  onClick={() => void move(task, "reopened")}
                  aria-label={t("tasks.reopenAria", { title: task.title })}
                >
                  {t("tasks.reopen")}
                </Button>,
              ]
            : task.status === "cancelled"
              ? []
              : [
                  <Button
                    key="done"
                    size="small"
                    icon={<CheckOutlined />}
                    loading={moving === task.task_id}
                    onClick={() => void move(task, "done")}
                    aria-label={t("tasks.completeAria", { title: task.title })}
                  >
                    {t("tasks.complete")}
                  </Button>,
                ]
      }
    >
      <List.Item.Meta
        title={
          <Flex gap={8} wrap align="center">
            <span>{task.title}</span>
            <Tag color={PRIORITY_COLOR[task.priority]}>{t(`priority.${task.priority}`)}</Tag>
          </Flex>
        }
        description={
          <Flex gap={12} wrap>
            <span>{t(`taskKind.${task.kind}`)}</span>
            {task.status === "done" ? (
              <span>
                {t("tasks.completedAt")}{" "}
                <time dateTime={task.completed_at ?? task.updated_at}>
                  {format.dateTime(task.completed_at ?? task.updated_at)}
                </time>
              </span>
            ) : (
              <span>
                {task.due_at ? (
                  <>
                    {t("tasks.dueLabel")}{" "}
                    <DueText value={task.due_at} overdue={task.overdue} withTime />
                  </>
                ) : (
                  t("tasks.noDue")
                )}
              </span>
            )}
            {task.opportunity_id && (
              <Link to={`/sales/opportunities/${task.opportunity_id}`}>
                {t("tasks.opportunity")}
              </Link>
            )}
          </Flex>
        }
      />
    </List.Item>
  );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t("tasks.title")}
        </Typography.Title>
        {can("sales:write") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("tasks.new")}
          </Button>
        )}
      </Flex>
      <Segmented
        aria-label={t("tasks.view")}
        value={view}
        onChange={(value) => setView(viewOf(String(value)))}
        options={[
          { value: "active", label: t("tasks.active") },
          { value: "overdue", label: t("tasks.overdue") },
          { value: "done", label: t("tasks.done") },
        ]}
      />
      {tasks.error && <Alert type="error" showIcon title={errorText(t, tasks.error)} />}
      {tasks.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t(view === "overdue" ? "tasks.noneOverdue" : "tasks.none")} />
      ) : view !== "active" ? (
        <Card size="small">
          <List dataSource={items} renderItem={renderTask} />
        </Card>
      ) : (
        TASK_GROUPS.filter((group) => groups[group].length).map((group) => (
          <section key={group} aria-labelledby={`tasks-${group}`}>
            <Card
              size="small"
              title={
                <h2 id={`tasks-${group}`} style={{ fontSize: 16, margin: 0 }}>
                  {t(`tasks.group.${group}`, { n: groups[group].length })}
                </h2>
              }
            >
              <List dataSource={groups[group]} renderItem={renderTask} />
            </Card>
          </section>
        ))
      )}
      {creating && <TaskForm onClose={() => setCreating(false)} />}
    </Flex>
  );
}
