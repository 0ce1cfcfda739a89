/** Integration clients: systems that call the API with client credentials. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { ifMatch } from "@/lib/api/concurrency";
import { unwrap } from "@/lib/api/problem";

export type Client = Schemas["ClientOut"];
export type ClientCreate = Schemas["ClientCreate"];
export type ClientCreated = Schemas["ClientCreated"];

const KEY = ["settings", "clients"];

export function useClients() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/integration-clients", { params: { query: { limit: 200 } } })),
  });
}

export function useCreateClient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ClientCreate) =>
      unwrap(await api.POST("/api/v1/integration-clients", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useSetClientActive() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ record, active }: { record: Client; active: boolean }) =>
      unwrap(
        await api.PATCH("/api/v1/integration-clients/{client_id}", {
          params: { path: { client_id: record.client_id }, header: ifMatch(record.version) },
          body: { active },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRotateSecret() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (record: Client) =>
      unwrap(
        await api.POST("/api/v1/integration-clients/{client_id}/secret", {
          params: { path: { client_id: record.client_id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteClient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (record: Client) =>
      unwrap(
        await api.DELETE("/api/v1/integration-clients/{client_id}", {
          params: { path: { client_id: record.client_id } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
