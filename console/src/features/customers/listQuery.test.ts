import { describe, expect, it } from "vitest";

import { parseListState, toApiQuery, toSearchParams, withFilter } from "./listQuery";

describe("the customer list's address", () => {
  it("reads filters, sort and page, ignoring unknown values", () => {
    const state = parseListState(
      new URLSearchParams("q=li&tier=gold&region=Beijing&sort=-total_consumption&page=3&size=50"),
    );
    expect(state.filters).toEqual({ q: "li", region: "Beijing" });
    expect(state.sort).toEqual({ field: "total_consumption", descending: true });
    expect(state.page).toBe(3);
    expect(state.pageSize).toBe(50);
  });

  it("falls back to the newest first, page 1 of 20", () => {
    const state = parseListState(new URLSearchParams("sort=password&page=-2&size=7"));
    expect(state.sort).toEqual({ field: "created_at", descending: true });
    expect(state.page).toBe(1);
    expect(state.pageSize).toBe(20);
    expect(toSearchParams(state).toString()).toBe("");
  });

  it("turns a page into the API's offset and limit", () => {
    const state = parseListState(new URLSearchParams("tier=vip&sort=name&page=2&size=50"));
    expect(toApiQuery(state)).toEqual({ tier: "vip", sort: "name", offset: 50, limit: 50 });
  });

  it("filters by a value segment the API knows, and only such", () => {
    const state = parseListState(new URLSearchParams("segment=at+risk&tier=svip"));
    expect(toApiQuery(state)).toEqual({
      tier: "svip",
      segment: "at risk",
      sort: "-created_at",
      offset: 0,
      limit: 20,
    });
    expect(toSearchParams(state).toString()).toBe("tier=svip&segment=at+risk");
    expect(parseListState(new URLSearchParams("segment=whales")).filters).toEqual({});
  });

  it("goes back to the first page when a filter changes", () => {
    const state = parseListState(new URLSearchParams("page=4&tag=loyal"));
    const changed = withFilter(state, "q", "  wang ");
    expect(changed.page).toBe(1);
    expect(changed.filters).toEqual({ tag: "loyal", q: "wang" });
    expect(withFilter(changed, "tag", "").filters).toEqual({ q: "wang" });
  });
});
