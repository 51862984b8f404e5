import type { FormSelection } from "@/lib/devices/selection-form";

/** The hidden inputs that carry a device selection in a form (read back by selectionFromForm). */
export function SelectionFields({ selection }: { selection: FormSelection }) {
  return (
    <>
      <input type="hidden" name="selection" value={selection.kind} />
      {selection.kind === "uuids" ? selection.uuids.map((u) => <input key={u} type="hidden" name="deviceUuids" value={u} />) : null}
      {selection.kind === "filter" ? <input type="hidden" name="deviceFilter" value={selection.filter} /> : null}
      {selection.kind === "group" ? <input type="hidden" name="groupId" value={selection.groupId} /> : null}
    </>
  );
}
