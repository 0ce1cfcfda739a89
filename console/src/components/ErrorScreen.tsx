/**
 * What a person sees when a screen cannot be shown, in their language and, below the
 * signed-in layout, with the menu still there. A screen whose code is no longer on the
 * server (the console was redeployed meanwhile) says a new version is available and
 * reloads the page once by itself; anything else says something went wrong, offers to
 * try again or go home, and names the error in a line of details, never with a stack.
 */
import { Button, Flex, Typography } from "antd";
import { Component, type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";

import { isChunkLoadError, reloadOnceForNewVersion } from "./newVersion";

/** The error in one line for the details, if it has anything to say. */
export function errorDetail(error: unknown): string {
  if (isRouteErrorResponse(error)) return `${error.status} ${error.statusText}`.trim();
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return "";
}

function reload() {
  window.location.reload();
}

export function ErrorScreen({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const newVersion = isChunkLoadError(error);
  useEffect(() => {
    if (newVersion) reloadOnceForNewVersion();
  }, [newVersion, error]);

  if (newVersion) {
    return (
      <Flex vertical align="center" gap={8} style={{ padding: "48px 16px", textAlign: "center" }}>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          {t("appError.newVersionTitle")}
        </Typography.Title>
        <Typography.Paragraph>{t("appError.newVersionText")}</Typography.Paragraph>
        <Button type="primary" onClick={reload}>
          {t("appError.reload")}
        </Button>
      </Flex>
    );
  }
  const detail = errorDetail(error);
  return (
    <Flex vertical align="center" gap={8} style={{ padding: "48px 16px", textAlign: "center" }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t("appError.title")}
      </Typography.Title>
      <Typography.Paragraph>{t("appError.text")}</Typography.Paragraph>
      {detail && (
        <Typography.Paragraph type="secondary" style={{ overflowWrap: "anywhere" }}>
          {t("appError.details", { detail })}
        </Typography.Paragraph>
      )}
      <Flex gap={8} wrap justify="center">
        <Button type="primary" onClick={reload}>
          {t("appError.retry")}
        </Button>
        {/* A whole page load: home works even when the router itself failed. */}
        <Button href="/">{t("appError.home")}</Button>
      </Flex>
    </Flex>
  );
}

/** Where no shell is around it: the error as the page's main content. */
function ErrorPage({ error }: { error: unknown }) {
  return (
    <main id="main" style={{ minHeight: "100vh" }}>
      <ErrorScreen error={error} />
    </main>
  );
}

/** A screen's error element, inside the shell: the error the router caught. */
export function RouteError() {
  return <ErrorScreen error={useRouteError()} />;
}

/** The shell's own error element: the shell could not be shown, so a page of its own. */
export function RootRouteError() {
  return <ErrorPage error={useRouteError()} />;
}

/** Catches what fails outside the router (the signed-in console's own chunk). */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error(String(error)) };
  }

  override render() {
    return this.state.error === undefined ? (
      this.props.children
    ) : (
      <ErrorPage error={this.state.error} />
    );
  }
}
