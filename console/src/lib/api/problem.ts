/**
 * RFC 9457 problems as the API sends them, and what a screen does with them: field
 * errors go beside their fields, a 412 offers the newer version, anything else is a
 * message that keeps what the person typed.
 */
import type { FormInstance } from "antd";

export interface FieldProblem {
  field: string;
  reason: string;
  type?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }
}

/** The body of a failed call as an ApiError; a network failure has status 0. */
export function toApiError(error: unknown, response?: Response): ApiError {
  if (error instanceof ApiError) return error;
  const problem = (typeof error === "object" && error !== null ? error : {}) as Problem;
  return new ApiError(response?.status ?? problem.status ?? 0, problem);
}

/** Unwraps an openapi-fetch result: the data, or an ApiError to throw. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.error, result.response);
  }
  return result.data as T;
}

/** `body.name` or `name` → the form's field path `["name"]`; `body.lines.0.qty` →
 * `["lines", 0, "qty"]`. */
export function fieldPath(field: string): (string | number)[] {
  const parts = field.split(".").filter((part) => part !== "body" && part !== "query");
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Puts each field error beside its field; returns the errors no field of the form
 * shows, for a message above it. */
export function showFieldErrors(form: FormInstance, error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || !error.problem.errors) return [];
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((name) => name),
  );
  const unplaced: FieldProblem[] = [];
  const fields = [];
  for (const problem of error.problem.errors) {
    const path = fieldPath(problem.field);
    if (path.length && known.has(String(path[0]))) {
      fields.push({ name: path, errors: [problem.reason] });
    } else {
      unplaced.push(problem);
    }
  }
  form.setFields(fields);
  return unplaced;
}
