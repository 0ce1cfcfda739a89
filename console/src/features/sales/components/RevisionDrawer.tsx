/**
 * A new revision of a quote: it starts from the revision offered last, every line and
 * discount can change, and the totals are worked out as the person types. The
 * version read goes with it (If-Match); when someone revised the quote meanwhile
 * (412), the newer quote is fetched and saving again builds on it.
 */
import { Alert, App, Button, Drawer, Form, Grid, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, formProblem } from "@/lib/api/problem";

import type { Quote } from "../api/documents";
import { useReviseQuote } from "../api/quotes";
import { type RevisionValues, revisionValues, toTerms } from "../lib/revisionForm";
import { TermsFields } from "./TermsFields";

export function RevisionDrawer({
  quote,
  revision,
  onClose,
  onSaved,
  onConflict,
}: {
  quote: Quote;
  /** The revision the new one starts from. */
  revision: Quote["revisions"][number];
  onClose: () => void;
  onSaved: (quote: Quote) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<RevisionValues>();
  const revise = useReviseQuote(quote);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (values: RevisionValues) => {
    setProblem(null);
    try {
      const saved = await revise.mutateAsync(toTerms(values));
      void message.success(t("quote.revised", { revision: saved.current_revision }));
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        onConflict();
        setProblem(t("quote.revisedMeanwhile"));
        return;
      }
      setProblem(formProblem(form, error, t));
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      title={t("quote.reviseTitle", { number: quote.quote_number })}
      size={phone ? "100%" : 760}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={revise.isPending} onClick={() => form.submit()}>
            {t("quote.saveRevision")}
          </Button>
          <Button onClick={onClose}>{t("actions.cancel", { ns: "common" })}</Button>
        </Space>
      }
    >
      {problem && (
        <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form<RevisionValues>
        form={form}
        layout="vertical"
        initialValues={revisionValues(revision)}
        onFinish={(values) => void submit(values)}
        scrollToFirstError
      >
        <TermsFields
          form={form}
          prefix={[]}
          currency={quote.currency}
          totalsTitle={t("quote.newTotals")}
        />
      </Form>
    </Drawer>
  );
}
