/** Mail to customers, as administrators shape it (notifications:admin): the reminder
 * steps and the templates per kind and language, each saved with If-Match. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

import type { NoticeKind, NoticeLanguage } from "../lib/customerNotices";

export type NoticeTemplate = Schemas["NotificationsTemplateOut"];
export type NoticeTemplateIn = Schemas["NotificationsTemplateIn"];
export type NoticeSettings = Schemas["NoticeSettingsOut"];
export type NoticeSettingsIn = Schemas["NoticeSettingsIn"];

const KEY = ["settings", "customer-notices"];

const TEMPLATES = [...KEY, "templates"];
const SETTINGS = [...KEY, "settings"];

export function useNoticeTemplates() {
  return useQuery({
    queryKey: TEMPLATES,
    queryFn: async () => unwrap(await api.GET("/api/v1/customer-notice-templates")).items,
  });
}

export function useSaveNoticeTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      kind,
      language,
      version,
      body,
    }: {
      kind: NoticeKind;
      language: NoticeLanguage;
      version: number;
      body: NoticeTemplateIn;
    }) =>
      unwrap(
        await api.PUT("/api/v1/customer-notice-templates/{kind}/{language}", {
          params: { path: { kind, language }, header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: (saved) =>
      client.setQueryData<NoticeTemplate[]>(TEMPLATES, (items) =>
        items?.map((item) =>
          item.kind === saved.kind && item.language === saved.language ? saved : item,
        ),
      ),
  });
}

export function useNoticeSettings() {
  return useQuery({
    queryKey: SETTINGS,
    queryFn: async () => unwrap(await api.GET("/api/v1/customer-notice-settings")),
  });
}

export function useSaveNoticeSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: NoticeSettingsIn }) =>
      unwrap(
        await api.PUT("/api/v1/customer-notice-settings", {
          params: { header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: (saved) => client.setQueryData(SETTINGS, saved),
  });
}
