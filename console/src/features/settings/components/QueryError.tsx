/** A list that could not be loaded, with a retry. */
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { errorText } from "@/lib/api/problem";

export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation("common");
  return (
    <Alert
      type="error"
      showIcon
      title={errorText(t, error)}
      action={
        <Button size="small" onClick={onRetry}>
          {t("errors.retry")}
        </Button>
      }
    />
  );
}
