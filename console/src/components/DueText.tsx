/** A due date or time; when the API says it is overdue, it is said in words and with an
 * icon as well as in red (never by colour alone), with the days overdue if given. */
import { ExclamationCircleFilled } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/lib/i18n/format";

/** Red with 7:1 contrast on white and on a table row's hover grey. */
const OVERDUE_COLOR = "#a8071a";

interface Props {
  /** An ISO date (YYYY-MM-DD) or date-time. */
  value: string;
  overdue: boolean;
  /** Show the time of day too (a task's due time; an invoice has a due day). */
  withTime?: boolean;
  /** Whole days overdue; without it the text says just "overdue". */
  days?: number;
}

export function DueText({ value, overdue, withTime = false, days }: Props) {
  const { t } = useTranslation("common");
  const format = useFormat();
  const when = (
    <time dateTime={value}>{withTime ? format.dateTime(value) : format.date(value)}</time>
  );
  if (!overdue) return when;
  return (
    <span data-overdue="true" style={{ color: OVERDUE_COLOR }}>
      <ExclamationCircleFilled aria-hidden style={{ marginInlineEnd: 4 }} />
      {when}
      {" · "}
      <strong>
        {days === undefined ? t("overdue.label") : t("overdue.days", { count: days })}
      </strong>
    </span>
  );
}
