/** A ticket's attachments: each can be downloaded; a person who may work the ticket
 * adds files (the service refuses types and sizes it does not keep, and says which). */
import { DownloadOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Flex, List, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { PersonName } from "@/components/PersonName";
import { ApiError, errorText } from "@/lib/api/problem";
import { useSession } from "@/lib/auth/SessionProvider";
import { useFormat } from "@/lib/i18n/format";

import {
  ACCEPTED_TYPES,
  type Attachment,
  downloadAttachment,
  useAttachments,
  useUploadAttachment,
} from "../api/attachments";
import type { Ticket } from "../api/tickets";
import { fileSize } from "../lib/fileSize";

import { CardTitle } from "./CardTitle";

export function Attachments({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation(["support", "common"]);
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useSession();
  const attachments = useAttachments(ticket.id);
  const upload = useUploadAttachment(ticket.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const writable = can("tickets:write") && ticket.status !== "closed";

  const send = (file: File) => {
    setProblem(null);
    upload.mutate(file, {
      onSuccess: (saved) =>
        void message.success(t("attachments.uploaded", { name: saved.filename })),
      onError: (error) => {
        const refusedType =
          error instanceof ApiError &&
          error.status === 422 &&
          (error.problem.errors ?? []).some((item) => item.field === "body.file");
        setProblem(
          refusedType ? t("attachments.typeRefused", { name: file.name }) : errorText(t, error),
        );
      },
    });
  };

  const download = async (attachment: Attachment) => {
    setDownloading(attachment.id);
    try {
      await downloadAttachment(attachment);
    } catch (error) {
      void message.error(errorText(t, error));
    } finally {
      setDownloading(null);
    }
  };

  return (
    <section aria-label={t("attachments.title")}>
      <Card
        size="small"
        title={<CardTitle>{t("attachments.title")}</CardTitle>}
        extra={
          writable && (
            <Upload
              accept={ACCEPTED_TYPES.join(",")}
              showUploadList={false}
              beforeUpload={(file) => {
                send(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending}>
                {t("attachments.upload")}
              </Button>
            </Upload>
          )
        }
      >
        {problem && (
          <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 8 }} />
        )}
        {attachments.error ? (
          <Alert type="error" showIcon title={errorText(t, attachments.error)} />
        ) : (
          <List<Attachment>
            size="small"
            loading={attachments.isPending}
            dataSource={attachments.data ?? []}
            locale={{ emptyText: t("attachments.none") }}
            renderItem={(attachment) => (
              <List.Item
                actions={[
                  <Button
                    key="download"
                    type="text"
                    icon={<DownloadOutlined />}
                    loading={downloading === attachment.id}
                    aria-label={t("attachments.download", { name: attachment.filename })}
                    onClick={() => void download(attachment)}
                  />,
                ]}
              >
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text ellipsis={{ tooltip: attachment.filename }}>
                    <PaperClipOutlined /> {attachment.filename}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {fileSize(attachment.size, i18n.language)}
                    {" · "}
                    <time dateTime={attachment.created_at}>
                      {format.dateTime(attachment.created_at)}
                    </time>
                    {" · "}
                    <PersonName id={attachment.uploaded_by} empty={t("attachments.byMail")} />
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </Card>
    </section>
  );
}
