import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";

import { ApiError } from "@/lib/api/problem";
import { SessionProvider } from "@/lib/auth/SessionProvider";

import { router } from "./router";
import { THEME } from "./theme";

function retry(failures: number, error: unknown): boolean {
  // A problem the API stated (4xx) will not go away by asking again.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function App() {
  const { i18n } = useTranslation();
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry, staleTime: 15_000, refetchOnWindowFocus: true } },
      }),
  );
  const english = i18n.language === "en";
  useEffect(() => {
    dayjs.locale(english ? "en" : "zh-cn");
  }, [english]);

  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={THEME}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
