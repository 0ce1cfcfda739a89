import { Segmented } from "antd";
import { useTranslation } from "react-i18next";

/** 中文 / EN, switchable at any time; the choice is remembered. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t("language.label")}
      value={i18n.language}
      onChange={(value) => void i18n.changeLanguage(String(value))}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en" },
      ]}
    />
  );
}
