/** The signed-in person's notification preferences (a whole document, read and replaced). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Preferences = Schemas["PreferencesOut"];
export type PreferencesIn = Schemas["PreferencesIn"];
export type Channel = Schemas["NotificationsChannel"];

const KEY = ["notification-preferences"] as const;

export function usePreferences() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => unwrap(await api.GET("/api/v1/notification-preferences")),
  });
}

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: PreferencesIn) =>
      unwrap(await api.PUT("/api/v1/notification-preferences", { body })),
    onSuccess: (saved) => client.setQueryData(KEY, saved),
  });
}
