/** One key figure: a small card with a title and a formatted value. */
import { Card, Statistic } from "antd";

export function Figure({
  title,
  value,
  testId,
}: {
  title: string;
  value: string;
  testId?: string;
}) {
  return (
    <Card size="small" data-testid={testId} style={{ height: "100%" }}>
      <Statistic title={title} value={value} />
    </Card>
  );
}
