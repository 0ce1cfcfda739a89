/** One card of the home screen: a titled figure or list that links to its screen, with
 * its loading and error states. */
import { Alert, Button, Card, Skeleton, theme, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { errorText } from "@/lib/api/problem";

export function HomeCard({
  title,
  to,
  linkLabel,
  loading,
  error,
  onRetry,
  children,
  testId,
}: {
  title: string;
  to: string;
  linkLabel: string;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation("common");
  // Ant Design colours plain links with colorLink, lighter than the darkened primary.
  const { token } = theme.useToken();
  let body = children;
  if (loading) body = <Skeleton active paragraph={{ rows: 3 }} />;
  else if (error)
    body = (
      <Alert
        type="error"
        showIcon
        title={errorText(t, error)}
        action={
          onRetry && (
            <Button size="small" onClick={onRetry}>
              {t("errors.retry")}
            </Button>
          )
        }
      />
    );
  return (
    <Card
      data-testid={testId}
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={
        <Link to={to} style={{ color: token.colorPrimary }}>
          {linkLabel}
        </Link>
      }
      style={{ height: "100%" }}
    >
      {body}
    </Card>
  );
}
