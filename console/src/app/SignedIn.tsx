/**
 * The signed-in console, a chunk of its own: the router with the shell, Ant Design's
 * App (message, modal, notification) and the locale of Ant Design's and dayjs's texts
 * for the person's language. The theme comes from the root's ConfigProvider; this one
 * adds the locale only.
 */
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";

import { appRouter } from "./router";

export default function SignedIn() {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
  }, [english]);
  return (
    <ConfigProvider locale={english ? enUS : zhCN}>
      <AntApp>
        <RouterProvider router={appRouter()} />
      </AntApp>
    </ConfigProvider>
  );
}
