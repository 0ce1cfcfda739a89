/**
 * People's names for the user ids records carry (owner, assignee, author, agent), from
 * the gateway's directory (`/api/v1/people`, open to every signed-in person). Each id
 * is one cached query; the ids a screen asks for in the same moment travel in one
 * request, so a table of fifty rows costs one call, and the next screen none.
 */
import { useQueries } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Person = Schemas["PersonOut"];

/** The most ids one request carries (the route's limit). */
export const BATCH = 100;
const FRESH_MS = 10 * 60_000;

interface Waiting {
  resolve: (person: Person | null) => void;
  reject: (error: unknown) => void;
}

/** A loader that gathers the ids asked for until the current task ends, then fetches
 * them in batches of {@link BATCH}; an id the directory does not know is `null`. */
export function createPeopleLoader(
  fetchPeople: (ids: string[]) => Promise<Person[]>,
): (id: string) => Promise<Person | null> {
  let pending = new Map<string, Waiting[]>();

  async function fetchChunk(chunk: string[], waiting: Map<string, Waiting[]>): Promise<void> {
    try {
      const found = new Map((await fetchPeople(chunk)).map((person) => [person.id, person]));
      for (const id of chunk) waiting.get(id)?.forEach((w) => w.resolve(found.get(id) ?? null));
    } catch (error) {
      for (const id of chunk) waiting.get(id)?.forEach((w) => w.reject(error));
    }
  }

  function flush(): void {
    const waiting = pending;
    pending = new Map();
    const ids = [...waiting.keys()];
    for (let start = 0; start < ids.length; start += BATCH) {
      void fetchChunk(ids.slice(start, start + BATCH), waiting);
    }
  }

  return (id) =>
    new Promise((resolve, reject) => {
      if (pending.size === 0) setTimeout(flush, 0);
      pending.set(id, [...(pending.get(id) ?? []), { resolve, reject }]);
    });
}

const loadPerson = createPeopleLoader(async (ids) => {
  const page = unwrap(
    await api.GET("/api/v1/people", { params: { query: { ids, limit: BATCH } } }),
  );
  return page.items;
});

/** The cached query of one person (null: not a person the directory knows). */
export function personQuery(id: string) {
  return {
    queryKey: ["people", id] as const,
    queryFn: () => loadPerson(id),
    staleTime: FRESH_MS,
  };
}

/** Looks people up by id: `name(id)` is their name, the id itself when the directory
 * does not know it (a system, or the lookup failed), undefined while it is loading
 * or for no id. */
export function usePeople(
  ids: readonly (string | null | undefined)[],
): (id: string | null | undefined) => string | undefined {
  const key = [...new Set(ids.filter((id): id is string => !!id))].sort().join("\n");
  const unique = useMemo(() => (key ? key.split("\n") : []), [key]);
  const combine = useCallback(
    (results: { data?: Person | null; isPending: boolean }[]) => {
      const known = new Map<string, Person | null | "loading">();
      results.forEach((result, index) => {
        const id = unique[index];
        if (id) known.set(id, result.isPending ? "loading" : (result.data ?? null));
      });
      return known;
    },
    [unique],
  );
  const known = useQueries({ queries: unique.map(personQuery), combine });
  return useCallback(
    (id) => {
      if (!id) return undefined;
      const person = known.get(id);
      if (person === "loading" || person === undefined) return undefined;
      return person ? person.display_name : id;
    },
    [known],
  );
}
