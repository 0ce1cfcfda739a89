/**
 * The root: the console's one theme, server state, the session, and then either the
 * sign-in page (in the first download) or the signed-in console (its own chunk, with
 * the router, the shell and the locale data of Ant Design and dayjs).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ConfigProvider, Flex, Spin } from "antd";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";

import { ErrorBoundary } from "@/components/ErrorScreen";
import { listenForNewVersion } from "@/components/newVersion";
import { ApiError } from "@/lib/api/problem";
import { SessionProvider, useSession } from "@/lib/auth/SessionProvider";
import { usePrefersReducedMotion } from "@/lib/usePrefersReducedMotion";

import { SignInPage } from "./SignInPage";
import { themeFor } from "./theme";

function retry(failures: number, error: unknown): boolean {
  // A problem the API stated (4xx) will not go away by asking again.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

// A chunk Vite could not load (the console was redeployed under the page): reload once.
listenForNewVersion();

const loadSignedIn = () => import("./SignedIn");
const SignedIn = lazy(loadSignedIn);

function Waiting() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: "100vh" }}>
      <Spin size="large" />
    </Flex>
  );
}

/** Once the sign-in page shows and the browser is idle, fetches the console, so it is
 * there when the person has signed in. (Fetched while the session is still being
 * checked, it would compete with the sign-in page for the main thread.) */
function usePrefetchWhileSignedOut(signedOut: boolean) {
  useEffect(() => {
    if (!signedOut) return;
    if ("requestIdleCallback" in window) {
      const handle = window.requestIdleCallback(() => void loadSignedIn(), { timeout: 5000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(() => void loadSignedIn(), 2000);
    return () => clearTimeout(timer);
  }, [signedOut]);
}

function Screens() {
  const { status } = useSession();
  usePrefetchWhileSignedOut(status === "signedOut");
  if (status === "checking") return <Waiting />;
  if (status === "signedOut") return <SignInPage />;
  return (
    <ErrorBoundary>
      <Suspense fallback={<Waiting />}>
        <SignedIn />
      </Suspense>
    </ErrorBoundary>
  );
}

export function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry, staleTime: 15_000, refetchOnWindowFocus: true } },
      }),
  );
  const reducedMotion = usePrefersReducedMotion();
  const theme = useMemo(() => themeFor(reducedMotion), [reducedMotion]);
  return (
    <ConfigProvider theme={theme} button={{ autoInsertSpace: false }}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <Screens />
        </SessionProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
