/** The weighted-pipeline forecast (S-10) by period, rep or team. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Forecast = Schemas["Forecast"];
export type Granularity = Schemas["Granularity"];
export type GroupBy = Schemas["GroupBy"];

export function useForecast(granularity: Granularity, groupBy: GroupBy) {
  return useQuery({
    queryKey: ["sales", "forecast", granularity, groupBy],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/forecasts", {
          params: { query: { granularity, group_by: groupBy } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
