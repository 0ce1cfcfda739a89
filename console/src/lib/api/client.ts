/**
 * The one API client: typed from the gateway's merged OpenAPI (schema.d.ts is
 * generated from openapi.json by `npm run api`), so a route or field the API no
 * longer has fails the console's type check.
 */
import createClient, { type Middleware } from "openapi-fetch";

import { currentAccessToken, refreshAccessToken } from "@/lib/auth/session";

import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

// A copy of each request as sent, so one that met an expired token can be sent again
// (the original's body is used up by then).
const copies = new WeakMap<Request, Request>();

const bearer: Middleware = {
  onRequest({ request }) {
    const token = currentAccessToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    // An expired or revoked access token: refresh once from the cookie and retry.
    const copy = copies.get(request);
    if (response.status !== 401 || !copy) return response;
    const token = await refreshAccessToken();
    if (!token) return response;
    copy.headers.set("Authorization", `Bearer ${token}`);
    return fetch(copy);
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(bearer);
