import { Tag } from "antd";
import { useTranslation } from "react-i18next";

const COLORS: Record<string, string> = { normal: "default", vip: "blue", svip: "purple" };

/** The member tier (C-3): Normal, VIP or SVIP. */
export function TierTag({ tier }: { tier: string }) {
  const { t } = useTranslation("customers");
  return (
    <Tag color={COLORS[tier] ?? "default"} variant="outlined">
      {t(`tier.${tier}`)}
    </Tag>
  );
}
