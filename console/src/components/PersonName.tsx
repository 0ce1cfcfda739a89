/** A person's name for a user id, looked up in the directory (see lib/people). */
import { usePeople } from "@/lib/people";

interface Props {
  id: string | null | undefined;
  /** Shown for no id (e.g. "unassigned"). */
  empty?: string;
}

export function PersonName({ id, empty = "—" }: Props) {
  const name = usePeople([id]);
  if (!id) return <>{empty}</>;
  const shown = name(id);
  return shown === undefined ? <span aria-busy="true">…</span> : <>{shown}</>;
}
