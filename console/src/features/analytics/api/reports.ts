/** The reports API (analytics): each report with its query hook, and the export. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";
import { fileNameOf, saveBlob } from "@/lib/download";

import { type ReportFilters, reportQuery } from "../lib/filters";

export type ExportableReport =
  "funnel" | "performance" | "revenue-trend" | "forecast" | "campaigns" | "support";
export type ExportFormat = "csv" | "xlsx";

const common = { placeholderData: keepPreviousData } as const;

export function useDashboard(period: string) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "dashboard", period],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dashboards/main", { params: { query: { period } } })),
  });
}

export function useFunnel(filters: ReportFilters) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "funnel", filters],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/reports/funnel", { params: { query: reportQuery(filters) } })),
  });
}

export function usePerformance(filters: ReportFilters) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "performance", filters],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/reports/performance", { params: { query: reportQuery(filters) } }),
      ),
  });
}

export function useRevenueTrend(filters: ReportFilters, granularity: "month" | "week") {
  return useQuery({
    ...common,
    queryKey: ["analytics", "revenue-trend", filters, granularity],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/reports/revenue-trend", {
          params: { query: { ...reportQuery(filters), granularity } },
        }),
      ),
  });
}

export function useForecastReport(filters: ReportFilters) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "forecast", filters],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/reports/forecast", { params: { query: reportQuery(filters) } }),
      ),
  });
}

export function useSupportReport(filters: ReportFilters) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "support", filters],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/reports/support", { params: { query: reportQuery(filters) } })),
  });
}

export function useCampaignReport() {
  return useQuery({
    ...common,
    queryKey: ["analytics", "campaigns"],
    queryFn: async () => unwrap(await api.GET("/api/v1/reports/campaigns")),
  });
}

export function useCustomerValues(offset: number, limit: number, inactiveDays: number | null) {
  return useQuery({
    ...common,
    queryKey: ["analytics", "customer-value", offset, limit, inactiveDays],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/reports/customer-value", {
          params: {
            query: {
              sort: "-lifetime_value",
              offset,
              limit,
              inactive_days: inactiveDays ?? undefined,
            },
          },
        }),
      ),
  });
}

/** Downloads a report as the API renders it (CSV or XLSX) under the name it gives. */
export async function downloadReport(
  report: ExportableReport,
  format: ExportFormat,
  filters: ReportFilters,
) {
  const result = await api.GET("/api/v1/reports/{report}/export", {
    params: { path: { report }, query: { ...reportQuery(filters), format } },
    parseAs: "blob",
  });
  const blob = unwrap(result) as Blob;
  saveBlob(blob, fileNameOf(result.response, `${report}.${format}`));
}
