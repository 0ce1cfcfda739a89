import { Drawer } from "antd";
import type { ReactNode } from "react";

/** The menu on a phone; loaded only on a narrow screen. */
export default function MenuDrawer(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Drawer
      placement="left"
      open={props.open}
      onClose={props.onClose}
      size={260}
      title={props.title}
      styles={{ body: { padding: 0 } }}
    >
      {props.children}
    </Drawer>
  );
}
