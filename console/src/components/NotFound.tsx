import { Button, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

/** Plain on purpose: Ant Design's Result with a 404 picture would weigh on every
 * first download, since the shell shows this page too. */
export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Flex vertical align="center" gap={8} style={{ padding: "48px 16px", textAlign: "center" }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t("notFound.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("notFound.text")}</Typography.Paragraph>
      <Button type="primary" onClick={() => void navigate("/")}>
        {t("notFound.home")}
      </Button>
    </Flex>
  );
}
