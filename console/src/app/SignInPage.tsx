import { Flex, theme, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { LanguageSwitch } from "@/components/LanguageSwitch";

import { SignInForm } from "./SignInForm";

/** A plain panel rather than Ant Design's Card, which brings Tabs and Skeleton into
 * the first download. */
export function SignInPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex
      component="main"
      justify="center"
      align="center"
      style={{ minHeight: "100vh", padding: 16, background: "#f0f2f5" }}
    >
      <div
        style={{
          width: "100%",
          maxWidth: 400,
          padding: 24,
          background: token.colorBgContainer,
          borderRadius: token.borderRadiusLG,
          boxShadow: token.boxShadowTertiary,
        }}
      >
        <Flex justify="space-between" align="center" style={{ marginBottom: 24 }}>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {t("app.name")}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
        <Typography.Paragraph type="secondary">{t("signIn.intro")}</Typography.Paragraph>
        <SignInForm />
      </div>
    </Flex>
  );
}
