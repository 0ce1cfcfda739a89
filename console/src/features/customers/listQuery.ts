/**
 * The customer list's state lives in the address (search, filters, sort, page), so a
 * list can be bookmarked, shared and reopened with the back button. These functions
 * turn the address into the API's query and back.
 */

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const SORTABLE = ["name", "member_id", "created_at", "tier", "total_consumption"] as const;
export const TIERS = ["normal", "vip", "svip"] as const;
export type Tier = (typeof TIERS)[number];
export type SortField = (typeof SORTABLE)[number];

/** The value (RFM) segments the API judges customers by (C-6). */
export const SEGMENTS = ["high value", "loyal", "new", "at risk", "price sensitive"] as const;
export type Segment = (typeof SEGMENTS)[number];

export const FILTERS = [
  "q",
  "tier",
  "segment",
  "tag",
  "owner_id",
  "team",
  "region",
  "industry",
] as const;
export type FilterName = (typeof FILTERS)[number];

export interface ListState {
  filters: Partial<Record<FilterName, string>>;
  sort: { field: SortField; descending: boolean };
  page: number;
  pageSize: number;
}

export const DEFAULT_SORT = { field: "created_at" as SortField, descending: true };

function positive(value: string | null, fallback: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

export function parseListState(params: URLSearchParams): ListState {
  const filters: ListState["filters"] = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (!value) continue;
    if (name === "tier" && !TIERS.includes(value as Tier)) continue;
    if (name === "segment" && !SEGMENTS.includes(value as Segment)) continue;
    filters[name] = value;
  }
  const rawSort = params.get("sort") ?? "";
  const field = rawSort.replace(/^-/, "") as SortField;
  const sort = SORTABLE.includes(field)
    ? { field, descending: rawSort.startsWith("-") }
    : DEFAULT_SORT;
  const size = positive(params.get("size"), DEFAULT_PAGE_SIZE);
  return {
    filters,
    sort,
    page: positive(params.get("page"), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

export function sortParam(sort: ListState["sort"]): string {
  return `${sort.descending ? "-" : ""}${sort.field}`;
}

/** The address for a state; defaults are left out so addresses stay short. */
export function toSearchParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = state.filters[name];
    if (value) params.set(name, value);
  }
  const sort = sortParam(state.sort);
  if (sort !== sortParam(DEFAULT_SORT)) params.set("sort", sort);
  if (state.page > 1) params.set("page", String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set("size", String(state.pageSize));
  return params;
}

/** The list route's query for a state (the export takes the same filters). */
export function toApiQuery(state: ListState) {
  const { tier, segment, ...text } = state.filters;
  return {
    ...text,
    ...(tier ? { tier: tier as Tier } : {}),
    ...(segment ? { segment: segment as Segment } : {}),
    sort: sortParam(state.sort),
    offset: (state.page - 1) * state.pageSize,
    limit: state.pageSize,
  };
}

/** A state with one filter changed, back on the first page. */
export function withFilter(
  state: ListState,
  name: FilterName,
  value: string | undefined,
): ListState {
  const filters: ListState["filters"] = {};
  for (const [key, current] of Object.entries(state.filters) as [FilterName, string][]) {
    if (key !== name) filters[key] = current;
  }
  if (value?.trim()) filters[name] = value.trim();
  return { ...state, filters, page: 1 };
}
