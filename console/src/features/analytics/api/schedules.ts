/** Report schedules: weekly e-mails of a report (reports:admin). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Schedule = Schemas["ScheduleOut"];
export type ScheduleCreate = Schemas["ScheduleCreate"];

const KEY = ["analytics", "schedules"];

export function useSchedules() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/report-schedules", { params: { query: { limit: 100 } } })),
  });
}

export function useCreateSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ScheduleCreate) =>
      unwrap(await api.POST("/api/v1/report-schedules", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (schedule: Schedule) =>
      unwrap(
        await api.DELETE("/api/v1/report-schedules/{schedule_id}", {
          params: {
            path: { schedule_id: schedule.id },
            header: ifMatch(schedule.version),
          },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useSendScheduleNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (schedule: Schedule) =>
      unwrap(
        await api.POST("/api/v1/report-schedules/{schedule_id}/deliveries", {
          params: { path: { schedule_id: schedule.id } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
