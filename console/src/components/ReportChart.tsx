/**
 * A chart (home, analytics, the sales forecast, a campaign's results). ECharts loads
 * with the first chart a person sees (EChart.tsx), not with the screen's code; the
 * chart's height is kept while it loads, so nothing below it moves. The canvas is
 * described to assistive technology by `label` (role="img"), and the figures
 * themselves are also given as text beside each chart by its screen.
 */
import type { EChartsCoreOption } from "echarts/core";
import { lazy, Suspense } from "react";

const EChart = lazy(() => import("./EChart"));

export type ChartOption = EChartsCoreOption;

export function ReportChart({
  option,
  label,
  height = 300,
  testId,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  testId?: string;
}) {
  return (
    <div role="img" aria-label={label} data-testid={testId} style={{ minHeight: height }}>
      <Suspense fallback={null}>
        <EChart option={option} height={height} />
      </Suspense>
    </div>
  );
}
