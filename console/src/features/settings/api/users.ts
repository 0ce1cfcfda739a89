/** People's accounts (gateway /api/v1/users, users:admin). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

import type { Role } from "../lib/access";

export type User = Schemas["UserOut"];
export type UserCreate = Schemas["UserCreate"];
export type UserPatch = Schemas["UserPatch"];

export interface UserFilters {
  email?: string;
  role?: Role;
  active?: boolean;
  offset: number;
  limit: number;
}

const KEY = ["settings", "users"];

export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: [...KEY, filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/users", { params: { query: { ...filters, sort: "email" } } })),
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: UserCreate) => unwrap(await api.POST("/api/v1/users", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ user, patch }: { user: User; patch: UserPatch }) =>
      unwrap(
        await api.PATCH("/api/v1/users/{user_id}", {
          params: { path: { user_id: user.id }, header: ifMatch(user.version) },
          body: patch,
        }),
      ),
    // A 412 means someone changed the account meanwhile: show the newer version.
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
