/** A report's loading and error states, so each tab only draws its figures. */
import type { UseQueryResult } from "@tanstack/react-query";
import { Alert, Button, Skeleton } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";

export function QueryBoundary<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation("common");
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) {
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, query.error)}
        action={
          <Button size="small" onClick={() => void query.refetch()}>
            {t("errors.retry")}
          </Button>
        }
      />
    );
  }
  return <Skeleton active paragraph={{ rows: 6 }} />;
}
