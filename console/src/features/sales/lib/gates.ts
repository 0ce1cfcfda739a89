/**
 * Stage gates: the API refuses a move into a stage whose required fields are empty
 * (422, a field error naming them, e.g. `body.needs,decision_maker`), and a move to
 * "lost" without a reason (`body.reason`). These are the fields to ask for.
 */
import { ApiError } from "@/lib/api/problem";

export const GATE_FIELDS = [
  "contact_id",
  "needs",
  "decision_maker",
  "amount",
  "expected_close",
  "quote_id",
  "contract_number",
  "product",
  "reason",
] as const;

export type GateField = (typeof GATE_FIELDS)[number];

function isGateField(name: string): name is GateField {
  return (GATE_FIELDS as readonly string[]).includes(name);
}

/** The fields a refused stage move asks for; empty when the refusal is of another kind. */
export function missingGateFields(error: unknown): GateField[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  const names = (error.problem.errors ?? []).flatMap((problem) =>
    problem.field
      .replace(/^body\./, "")
      .split(",")
      .map((name) => name.trim()),
  );
  const missing: GateField[] = [];
  for (const name of names) {
    if (isGateField(name) && !missing.includes(name)) missing.push(name);
  }
  // Any other field (an unknown stage, say) is not something a form can supply.
  return missing.length === names.length ? missing : [];
}
