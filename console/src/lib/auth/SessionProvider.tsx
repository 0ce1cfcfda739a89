/**
 * Who is signed in, for every screen: their roles, team and permissions (from
 * /api/v1/auth/me), and whether the session just ran out. An expired session does not
 * unmount the page: a sign-in dialog opens over it, so nothing typed is lost.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";

import { api } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

import { onSessionChange, refreshAccessToken, signOut as endSession } from "./session";

export type Me = {
  subject: string;
  kind: string;
  roles: string[];
  team: string | null;
  permissions: string[];
  email?: string | null;
  display_name?: string | null;
};

type Status = "checking" | "signedIn" | "signedOut" | "expired";

interface SessionValue {
  status: Status;
  me: Me | undefined;
  can: (permission: string) => boolean;
  hasRole: (...roles: string[]) => boolean;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>("checking");
  const queryClient = useQueryClient();

  useEffect(() => {
    // A reload: the access token is gone with the page, the cookie may still be good.
    void refreshAccessToken().then((token) => setStatus(token ? "signedIn" : "signedOut"));
  }, []);

  useEffect(
    () =>
      onSessionChange((signedIn) =>
        setStatus((previous) => {
          if (signedIn) return "signedIn";
          return previous === "signedIn" ? "expired" : "signedOut";
        }),
      ),
    [],
  );

  const { data: me } = useQuery({
    queryKey: ["me"],
    queryFn: async () => unwrap(await api.GET("/api/v1/auth/me")) as Me,
    enabled: status === "signedIn",
    staleTime: 5 * 60_000,
  });

  const signOut = useCallback(async () => {
    await endSession();
    setStatus("signedOut");
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<SessionValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    const roles = new Set(me?.roles ?? []);
    return {
      status,
      me,
      can: (permission) => permissions.has(permission),
      hasRole: (...wanted) => wanted.some((role) => roles.has(role)),
      signOut,
    };
  }, [status, me, signOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** Renders its children only when the signed-in person holds the permission: an
 * action the role lacks is not offered at all. */
export function Can({ permission, children }: { permission: string; children: ReactNode }) {
  return useSession().can(permission) ? <>{children}</> : null;
}
