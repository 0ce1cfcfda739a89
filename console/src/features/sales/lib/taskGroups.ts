/** Tasks grouped as a person plans a day: overdue, today, later, no due date. */
export type TaskGroup = "overdue" | "today" | "later" | "someday";

export const TASK_GROUPS: TaskGroup[] = ["overdue", "today", "later", "someday"];

export function taskGroup(dueAt: string | null | undefined, now: Date): TaskGroup {
  if (!dueAt) return "someday";
  const due = new Date(dueAt);
  if (due.getTime() < now.getTime()) return "overdue";
  const endOfToday = new Date(now);
  endOfToday.setHours(23, 59, 59, 999);
  return due.getTime() <= endOfToday.getTime() ? "today" : "later";
}

export function groupTasks<T extends { due_at?: string | null }>(
  tasks: readonly T[],
  now: Date,
): Record<TaskGroup, T[]> {
  const groups: Record<TaskGroup, T[]> = { overdue: [], today: [], later: [], someday: [] };
  for (const task of tasks) groups[taskGroup(task.due_at, now)].push(task);
  return groups;
}
