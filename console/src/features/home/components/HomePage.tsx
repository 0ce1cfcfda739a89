/** Home: what each role looks at first, one section per role the person holds. */
import { Empty, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { useSession } from "@/lib/auth/SessionProvider";

import { AgentSection } from "./AgentSection";
import { DashboardSection } from "./DashboardSection";
import { ManagerSection } from "./ManagerSection";
import { MarketerSection } from "./MarketerSection";
import { RepSection } from "./RepSection";

export function HomePage() {
  const { t } = useTranslation("home");
  const { me, hasRole } = useSession();
  if (!me) return null;
  const name = me.display_name || me.email || me.subject;
  const sections = [
    hasRole("sales_rep") && <RepSection key="rep" me={me.subject} />,
    hasRole("sales_manager") && <ManagerSection key="manager" team={me.team} me={me.subject} />,
    hasRole("marketer") && <MarketerSection key="marketer" />,
    hasRole("support_agent") && <AgentSection key="agent" me={me.subject} />,
    hasRole("analyst", "admin") && <DashboardSection key="dashboard" />,
  ].filter(Boolean);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t("title", { name })}
      </Typography.Title>
      {sections.length ? sections : <Empty description={t("nothing")} />}
    </Flex>
  );
}
