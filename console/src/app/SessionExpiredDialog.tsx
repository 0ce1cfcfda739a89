import { Modal, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { SignInForm } from "./SignInForm";

/** Opens over the page when the session ran out, so nothing typed is lost; loaded only
 * then, it stays out of the first download. */
export default function SessionExpiredDialog({ email }: { email?: string }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t("session.expiredTitle")}
      footer={null}
      closable={false}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Typography.Paragraph>{t("session.expiredText")}</Typography.Paragraph>
      <SignInForm email={email} />
    </Modal>
  );
}
