/**
 * Optimistic concurrency as the API has it (libs/chassis concurrency.py): a resource's
 * `version` is its ETag, and an update sends the version it read back as If-Match; a
 * 412 then means someone changed it meanwhile.
 */

/**
 * The `params.header` that sends `version` as If-Match: the ETag quoted as the API
 * writes it (`"7"`), never weak (`W/"7"`), so it matches under either comparison.
 *
 * Typed as plain headers because the API document spells the parameter per route
 * ("If-Match" on some, "if-match" on others); HTTP header names ignore case, and a
 * narrower type would fit only one spelling.
 */
export function ifMatch(version: number): Record<string, string> {
  return { "If-Match": `"${version}"` };
}
