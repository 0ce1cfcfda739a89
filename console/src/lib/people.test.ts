import { describe, expect, it, vi } from "vitest";

import { BATCH, createPeopleLoader, type Person } from "./people";

const person = (id: string): Person => ({
  id,
  display_name: `Name of ${id}`,
  team: null,
  active: true,
});

describe("the people loader", () => {
  it("asks once for the ids wanted in the same moment, each id once", async () => {
    const fetchPeople = vi.fn(async (ids: string[]) => ids.map(person));
    const load = createPeopleLoader(fetchPeople);

    const found = await Promise.all([load("u1"), load("u2"), load("u1")]);

    expect(found.map((p) => p?.display_name)).toEqual(["Name of u1", "Name of u2", "Name of u1"]);
    expect(fetchPeople).toHaveBeenCalledTimes(1);
    expect(fetchPeople).toHaveBeenCalledWith(["u1", "u2"]);
  });

  it("splits a long list into requests the route accepts", async () => {
    const fetchPeople = vi.fn(async (ids: string[]) => ids.map(person));
    const load = createPeopleLoader(fetchPeople);

    await Promise.all(Array.from({ length: BATCH * 2 + 1 }, (_, n) => load(`u${n}`)));

    expect(fetchPeople.mock.calls.map(([ids]) => ids.length)).toEqual([BATCH, BATCH, 1]);
  });

  it("answers null for an id the directory does not know, and fails a failed batch", async () => {
    const load = createPeopleLoader(async () => [person("u1")]);
    expect(await Promise.all([load("u1"), load("system")])).toEqual([person("u1"), null]);

    const failing = createPeopleLoader(async () => Promise.reject(new Error("offline")));
    await expect(failing("u1")).rejects.toThrow("offline");
  });

  it("starts a new batch for ids asked after the first one went out", async () => {
    const fetchPeople = vi.fn(async (ids: string[]) => ids.map(person));
    const load = createPeopleLoader(fetchPeople);

    await load("u1");
    await load("u2");

    expect(fetchPeople.mock.calls).toEqual([[["u1"]], [["u2"]]]);
  });
});
