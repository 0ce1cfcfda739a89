/** Tasks (S-9): the signed-in person's tasks, new ones, completing and reopening them. */
import { useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { ApiError, unwrap } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";

export type Task = Schemas["TaskOut"];
export type TaskCreate = Schemas["TaskCreate"];
export type TaskStatus = Schemas["TaskStatus"];

/** Which of my tasks: by status, or (`overdue`) those the service calls overdue. */
export interface TaskFilter {
  status?: TaskStatus;
  overdue?: boolean;
}

export const taskKeys = {
  all: ["sales", "tasks"] as const,
  mine: (subject: string, filter: TaskFilter) =>
    ["sales", "tasks", "mine", subject, filter.status ?? "any", filter.overdue ?? "any"] as const,
};

export function useMyTasks(filter: TaskFilter) {
  const { me } = useSession();
  const subject = me?.subject ?? "";
  return useQuery({
    queryKey: taskKeys.mine(subject, filter),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tasks", {
          params: {
            query: {
              assignee_id: subject,
              status: filter.status,
              overdue: filter.overdue,
              sort: "due_at",
              limit: 200,
            },
          },
        }),
      ),
    enabled: Boolean(subject),
  });
}

export async function createTask(body: TaskCreate): Promise<Task> {
  return unwrap(await api.POST("/api/v1/tasks", { body }));
}

async function setTaskStatus(task: Task, status: TaskStatus): Promise<Task> {
  return unwrap(
    await api.PUT("/api/v1/tasks/{task_id}/status", {
      params: { path: { task_id: task.task_id }, header: ifMatch(task.version) },
      body: { status },
    }),
  );
}

const STILL_TO_DO: readonly TaskStatus[] = ["open", "in_progress"];
const DONE: readonly TaskStatus[] = ["done"];

/** Moves a task to `status`, which changes only its status. The list may hold an older
 * version than the service (its reminder went out, someone retitled it): on a version
 * conflict the newer version is read and moved, if it is still in one of the `from`
 * statuses. Otherwise the conflict stands and the caller shows the newer version. */
async function moveKeepingEdits(
  task: Task,
  status: TaskStatus,
  from: readonly TaskStatus[],
): Promise<Task> {
  try {
    return await setTaskStatus(task, status);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 412)) throw error;
    const newer = unwrap(
      await api.GET("/api/v1/tasks/{task_id}", { params: { path: { task_id: task.task_id } } }),
    );
    if (!from.includes(newer.status)) throw error;
    return await setTaskStatus(newer, status);
  }
}

/** Marks a task done, unless it is no longer to do (then the 412 stands). */
export async function completeTask(task: Task): Promise<Task> {
  return moveKeepingEdits(task, "done", STILL_TO_DO);
}

/** Takes a done task back up, unless it is no longer done (then the 412 stands). The sales
 * service lets a done task go back to "in progress" only (done -> open is not a move it
 * allows; services/sales domain/tasks.py), which is to do again, in the open list. */
export async function reopenTask(task: Task): Promise<Task> {
  return moveKeepingEdits(task, "in_progress", DONE);
}
