/** The send's funnel as bars (ECharts, only the parts this chart needs). */
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export interface Bar {
  label: string;
  value: number;
}

export function ResultsChart({ bars, title }: { bars: Bar[]; title: string }) {
  const option = {
    aria: { enabled: true, label: { description: title } },
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "category", data: bars.map((bar) => bar.label) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        type: "bar",
        data: bars.map((bar) => bar.value),
        itemStyle: { color: "#1360d6" },
        label: { show: true, position: "top" },
      },
    ],
  };
  return (
    <div role="img" aria-label={title}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height: 260 }} notMerge />
    </div>
  );
}
