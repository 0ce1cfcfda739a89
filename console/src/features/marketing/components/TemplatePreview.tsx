/** The saved template as the API renders it for a sample customer in the reader's
 * language. The HTML part is shown in a sandboxed frame (no scripts, no same-origin
 * access), never in this page. */
import { Alert, Card, Descriptions, Spin, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { errorText } from "@/lib/api/problem";

import { useTemplatePreview } from "../api/templates";
import { sampleValues } from "../lib/templateSample";

export function TemplatePreview({ id, version }: { id: string; version: number }) {
  const { t } = useTranslation(["marketing", "common"]);
  const sample = sampleValues((field) => t(`template.sample.${field}`));
  const { data, error, isFetching } = useTemplatePreview(id, version, sample);
  return (
    <Card size="small" title={t("template.preview")}>
      {error ? (
        <Alert type="warning" showIcon title={errorText(t, error)} />
      ) : !data ? (
        isFetching && <Spin />
      ) : (
        <>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t("template.subject")}>
              <span data-testid="template-preview-subject">{data.subject}</span>
            </Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              {
                key: "text",
                label: t("template.textPart"),
                children: (
                  <Typography.Paragraph>
                    <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{data.text}</pre>
                  </Typography.Paragraph>
                ),
              },
              {
                key: "html",
                label: t("template.htmlPart"),
                children: (
                  <iframe
                    title={t("template.htmlPart")}
                    sandbox=""
                    srcDoc={data.html}
                    style={{ width: "100%", height: 320, border: "1px solid #f0f0f0" }}
                  />
                ),
              },
            ]}
          />
          <Typography.Text type="secondary">{t("template.sampleNote")}</Typography.Text>
        </>
      )}
    </Card>
  );
}
