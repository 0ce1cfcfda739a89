/**
 * Apache ECharts with only the chart kinds and components the console uses, in a
 * chunk of its own: ReportChart loads it when a chart is first shown, so a screen
 * without one never downloads ECharts.
 */
import { BarChart, FunnelChart, LineChart, PieChart } from "echarts/charts";
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import type { EChartsCoreOption } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";

echarts.use([
  BarChart,
  FunnelChart,
  LineChart,
  PieChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export default function EChart({ option, height }: { option: EChartsCoreOption; height: number }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={{ aria: { enabled: true }, ...option }}
      notMerge
      lazyUpdate
      style={{ height, width: "100%" }}
    />
  );
}
