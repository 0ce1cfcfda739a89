/** A link to a console route in the theme's primary colour: Ant Design's default link
 * blue is too light on white for WCAG AA. */
import { theme } from "antd";
import type { ReactNode } from "react";
import { Link } from "react-router";

export function RouterLink({ to, children }: { to: string; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <Link to={to} style={{ color: token.colorPrimary }}>
      {children}
    </Link>
  );
}
