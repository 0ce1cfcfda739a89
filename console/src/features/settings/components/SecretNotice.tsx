/** A secret the API shows once (a client's or a webhook's): copy it now. */
import { Alert, Modal, Typography } from "antd";
import { useTranslation } from "react-i18next";

export function SecretNotice({
  title,
  label,
  secret,
  onClose,
}: {
  title: string;
  label: string;
  secret: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation(["settings", "common"]);
  return (
    <Modal
      open={secret !== null}
      title={title}
      onOk={onClose}
      onCancel={onClose}
      okText={t("actions.close", { ns: "common" })}
      cancelButtonProps={{ style: { display: "none" } }}
    >
      <Alert type="warning" showIcon title={t("secret.once")} style={{ marginBottom: 12 }} />
      <Typography.Text strong>{label}</Typography.Text>
      <Typography.Paragraph
        copyable
        code
        data-testid="secret-value"
        style={{ wordBreak: "break-all" }}
      >
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
