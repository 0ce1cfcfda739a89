/** An invoice's due day; once the sales service calls it overdue, in red with an icon
 * and the days it is overdue in words. */
import { useState } from "react";

import { DueText } from "@/components/DueText";
import { daysPastDue } from "@/lib/elapsed";

import type { Invoice } from "../api/documents";

export function InvoiceDue({ invoice }: { invoice: Pick<Invoice, "due_date" | "status"> }) {
  const [today] = useState(() => new Date());
  const overdue = invoice.status === "overdue";
  return (
    <DueText
      value={invoice.due_date}
      overdue={overdue}
      days={overdue ? daysPastDue(invoice.due_date, today) : undefined}
    />
  );
}
