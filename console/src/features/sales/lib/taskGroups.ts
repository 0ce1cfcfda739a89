/** Tasks grouped as a person plans a day: overdue, today, later, no due date. Overdue is
 * the sales service's word (the task's `overdue`: open or in progress and past due), so
 * the group and the "overdue" filter never disagree; the rest go by their due day. */
export type TaskGroup = "overdue" | "today" | "later" | "someday";

export const TASK_GROUPS: TaskGroup[] = ["overdue", "today", "later", "someday"];

interface Groupable {
  due_at?: string | null;
  overdue: boolean;
}

export function taskGroup(task: Groupable, now: Date): TaskGroup {
  if (task.overdue) return "overdue";
  if (!task.due_at) return "someday";
  const endOfToday = new Date(now);
  endOfToday.setHours(23, 59, 59, 999);
  return new Date(task.due_at).getTime() <= endOfToday.getTime() ? "today" : "later";
}

export function groupTasks<T extends Groupable>(
  tasks: readonly T[],
  now: Date,
): Record<TaskGroup, T[]> {
  const groups: Record<TaskGroup, T[]> = { overdue: [], today: [], later: [], someday: [] };
  for (const task of tasks) groups[taskGroup(task, now)].push(task);
  return groups;
}
