/** /customers/import: upload a .csv or .xlsx; every row is checked first, and any
 * problem rejects the whole file with a row-by-row report shown here (C-8).
 * /customers/imports/:id (where a notification of a finished or failed import links)
 * shows that import's outcome the same way, until another file is sent. */
import { InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Flex, Progress, Table, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";
import { problemDetail, problemText } from "@/lib/api/problem";

import { type ImportJob, useImportJob, useStartImport } from "../api/imports";

type RowError = ImportJob["errors"][number];

const STATES = ["queued", "validating", "writing", "discarding", "completed", "failed"];

export function ImportPage() {
  const { t } = useTranslation(["customers", "common"]);
  const { can } = useSession();
  const format = useFormat();
  const [file, setFile] = useState<File | null>(null);
  const { id: linked } = useParams();
  const start = useStartImport();
  const job = useImportJob(start.data?.id ?? linked);
  const current = job.data ?? start.data;

  if (!can("customers:import")) {
    return <Alert type="error" showIcon title={t("errors.forbidden", { ns: "common" })} />;
  }

  const running = current && !["completed", "failed"].includes(current.state);
  const rejected = current?.state === "failed";

  return (
    <Flex vertical gap={16} style={{ maxWidth: 960 }}>
      <Link to="/customers">{t("detail.backToList")}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t("import.title")}
      </Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t("import.intro")}</Typography.Paragraph>
      <Card>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          fileList={file ? [{ uid: "file", name: file.name, status: "done" }] : []}
          beforeUpload={(chosen) => {
            setFile(chosen);
            start.reset();
            return false; // sent with the button below, not on choosing
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p>{t("import.choose")}</p>
          <Typography.Text type="secondary">{t("import.hint")}</Typography.Text>
        </Upload.Dragger>
        <Button
          type="primary"
          style={{ marginTop: 16 }}
          disabled={!file || Boolean(running)}
          loading={start.isPending || Boolean(running)}
          onClick={() => file && start.mutate(file)}
        >
          {t("import.start")}
        </Button>
      </Card>

      {start.error && (
        <Alert
          type="error"
          showIcon
          title={problemText(t, start.error)}
          description={problemDetail(start.error)}
        />
      )}

      {current && (
        <Card
          title={
            <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
              {t("import.result")}
            </Typography.Title>
          }
        >
          <Flex vertical gap={12}>
            {running && (
              <Progress
                aria-label={t("import.progress")}
                percent={
                  current.rows_read
                    ? Math.round((current.rows_written / current.rows_read) * 100)
                    : 0
                }
                status="active"
              />
            )}
            {current.state === "completed" && (
              <Alert
                type="success"
                showIcon
                title={t("import.done", { count: current.rows_written })}
              />
            )}
            {rejected && (
              <Alert
                type="error"
                showIcon
                title={t("import.rejected", { count: current.error_count })}
                description={current.reason}
              />
            )}
            <Descriptions
              size="small"
              column={{ xs: 1, md: 3 }}
              items={[
                { key: "file", label: t("import.file"), children: current.filename },
                {
                  key: "state",
                  label: t("import.state"),
                  children: STATES.includes(current.state)
                    ? t(`importState.${current.state}`)
                    : current.state,
                },
                {
                  key: "read",
                  label: t("import.rowsRead"),
                  children: format.number(current.rows_read),
                },
                {
                  key: "written",
                  label: t("import.rowsWritten"),
                  children: format.number(current.rows_written),
                },
                {
                  key: "errors",
                  label: t("import.errorCount"),
                  children: format.number(current.error_count),
                },
                {
                  key: "started",
                  label: t("import.started"),
                  children: format.dateTime(current.created_at),
                },
              ]}
            />
            {current.errors.length > 0 && (
              <Table<RowError>
                rowKey={(error) => `${error.row}:${error.field}:${error.reason}`}
                size="small"
                scroll={{ x: true }}
                dataSource={current.errors}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { key: "row", dataIndex: "row", title: t("import.row"), width: 80 },
                  { key: "field", dataIndex: "field", title: t("import.field") },
                  { key: "reason", dataIndex: "reason", title: t("import.reason") },
                ]}
              />
            )}
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
