import { Typography } from "antd";
import type { ReactNode } from "react";

/** A card's title as a level-2 heading, sized for a card. */
export function CardTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}
