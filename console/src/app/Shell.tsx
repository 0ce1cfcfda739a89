/**
 * The frame around every screen: the menu (a drawer on a phone), the notification bell,
 * the language switch, the person's menu with notification settings and sign-out, and the dialog that signs a person back in when
 * their session ran out, over the page, so nothing typed is lost. The root shows it
 * only to a signed-in person (or one whose session just ran out).
 */
import { BellOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from "@ant-design/icons";
import { Button, Dropdown, Flex, Grid, Layout, Menu, Spin, Typography } from "antd";
import type { MenuProps } from "antd";
import { lazy, Suspense, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";

import { LanguageSwitch } from "@/components/LanguageSwitch";
import { NotificationBell } from "@/features/notifications/components/NotificationBell";
import { useSession } from "@/lib/auth/SessionProvider";

import { FALLBACK_ICON, type NavItem, visibleNavigation } from "./navigation";

const MenuDrawer = lazy(() => import("./MenuDrawer"));
const SessionExpiredDialog = lazy(() => import("./SessionExpiredDialog"));

function toMenuItems(items: NavItem[], t: (key: string) => string): MenuProps["items"] {
  return items.map((item) =>
    item.children
      ? {
          key: item.path,
          icon: item.icon ?? FALLBACK_ICON,
          label: t(item.label),
          children: item.children.map((child) => ({ key: child.path, label: t(child.label) })),
        }
      : { key: item.path, icon: item.icon ?? FALLBACK_ICON, label: t(item.label) },
  );
}

function selectedKey(pathname: string, items: NavItem[]): string {
  const all = items.flatMap((item) => [item, ...(item.children ?? [])]);
  const matches = all
    .map((item) => item.path)
    .filter((path) =>
      path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`),
    );
  return matches.sort((a, b) => b.length - a.length)[0] ?? "/";
}

export function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const navigation = useMemo(() => visibleNavigation(session.can), [session.can]);
  const selected = selectedKey(location.pathname, navigation);
  const groups = navigation.filter((item) => item.children).map((item) => item.path);

  const menu = (
    <Menu
      key={groups.join()} // open every group once the person's menu is known
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={groups}
      items={toMenuItems(navigation, t)}
      onClick={({ key }) => {
        void navigate(key);
        setDrawerOpen(false);
      }}
    />
  );
  const who = session.me?.display_name || session.me?.email || session.me?.subject || "";
  // The button's name holds the name it shows (WCAG 2.5.3): "账户：王芳", not "账户".
  const account = who ? t("app.accountOf", { name: who }) : t("app.account");

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      {phone ? (
        <Suspense>
          <MenuDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} title={t("app.name")}>
            {menu}
          </MenuDrawer>
        </Suspense>
      ) : (
        <Layout.Sider width={220} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
          <Typography.Title level={2} style={{ fontSize: 18, padding: "16px 24px", margin: 0 }}>
            {t("app.name")}
          </Typography.Title>
          <nav aria-label={t("app.mainMenu")}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{ background: "#fff", padding: "0 16px", borderBottom: "1px solid #f0f0f0" }}
        >
          <Flex justify="space-between" align="center" style={{ height: "100%" }} gap={8}>
            <Flex align="center" gap={8}>
              {phone && (
                <Button
                  type="text"
                  icon={<MenuOutlined />}
                  aria-label={t("app.openMenu")}
                  onClick={() => setDrawerOpen(true)}
                />
              )}
              {phone && <Typography.Text strong>{t("app.name")}</Typography.Text>}
            </Flex>
            <Flex align="center" gap={12}>
              {session.can("notifications:own") && (
                <Suspense>
                  <NotificationBell />
                </Suspense>
              )}
              <LanguageSwitch />
              <Dropdown
                trigger={["click"]}
                menu={{
                  items: [
                    {
                      key: "roles",
                      disabled: true,
                      label: (session.me?.roles ?? [])
                        .map((role) => t(`roles.${role}`))
                        .join(" · "),
                    },
                    { type: "divider" },
                    ...(session.can("notifications:own")
                      ? [
                          {
                            key: "notificationSettings",
                            icon: <BellOutlined />,
                            label: t("app.notificationSettings"),
                          },
                        ]
                      : []),
                    { key: "signOut", icon: <LogoutOutlined />, label: t("app.signOut") },
                  ],
                  onClick: ({ key }) => {
                    if (key === "signOut") void session.signOut().then(() => navigate("/"));
                    if (key === "notificationSettings") void navigate("/notifications/preferences");
                  },
                }}
              >
                <Button type="text" icon={<UserOutlined />} aria-label={account}>
                  {!phone && who}
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: phone ? 12 : 24 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {session.status === "expired" && (
        <Suspense>
          <SessionExpiredDialog email={session.me?.email ?? undefined} />
        </Suspense>
      )}
    </Layout>
  );
}
