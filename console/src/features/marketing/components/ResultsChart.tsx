/** The send's funnel as bars. */
import { ReportChart } from "@/components/ReportChart";

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
  return <ReportChart option={option} label={title} height={260} />;
}
