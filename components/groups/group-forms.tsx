"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { IDLE } from "@/lib/actions/form-state";
import { groupInput, newGroupSchema } from "@/lib/devices/device-group-schema";
import { addMembersAction, createGroupAction, deleteGroupAction, removeMemberAction } from "@/app/(console)/groups/actions";

export function NewGroupForm() {
  const [server, action, pending] = useActionState(createGroupAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(newGroupSchema, server, groupInput);
  const v = state.values ?? {};
  const [kind, setKind] = useState(v.kind ?? "STATIC");
  return (
    <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Create a group" noValidate>
      <TextField id="group-name" name="name" label="Name" state={state} defaultValue={v.name} />
      <fieldset>
        <legend>Kind</legend>
        <label className="check">
          <input type="radio" name="kind" value="STATIC" checked={kind === "STATIC"} onChange={() => setKind("STATIC")} /> Static: devices added by hand
        </label>
        <label className="check">
          <input type="radio" name="kind" value="FILTER" checked={kind === "FILTER"} onChange={() => setKind("FILTER")} /> Saved filter: whatever matches a devices-list filter
        </label>
      </fieldset>
      {kind === "FILTER" ? (
        <>
          <TextField
            id="group-filter"
            name="filter"
            label="Filter (the devices list's address after the ?)"
            state={state}
            className="mono"
            defaultValue={v.filter}
            placeholder="platform=PocketPC+2003&lastContact=overdue"
            hint={
              <>
                Easier: filter the <Link href="/devices">devices list</Link> and use &ldquo;Save these filters as a group&rdquo;.
              </>
            }
          />
        </>
      ) : null}
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Create group
      </button>
    </form>
  );
}

export function AddMembersForm({ groupId }: { groupId: number }) {
  const [state, action, pending] = useActionState(addMembersAction, IDLE);
  return (
    <form key={state.at} action={action} className="form" aria-label="Add devices to the group" noValidate>
      <input type="hidden" name="groupId" value={groupId} />
      <label htmlFor="member-uuids">Device UUIDs (one per line, or separated by commas)</label>
      <p className="muted" id="member-uuids-hint">
        Or pick devices on the <Link href="/devices">devices list</Link> (search, filters, or every matching device) and use &ldquo;Add to group&rdquo;.
      </p>
      <textarea id="member-uuids" name="uuids" rows={4} className="mono" aria-describedby="member-uuids-hint" defaultValue={state.status === "error" ? state.values?.uuids : undefined} aria-invalid={Boolean(state.fields.uuids)} />
      <FormStatus state={state} />
      <button type="submit" disabled={pending}>
        Add devices
      </button>
    </form>
  );
}

export function RemoveMemberButton({ groupId, deviceId, label }: { groupId: number; deviceId: number; label: string }) {
  const [state, action, pending] = useActionState(removeMemberAction, IDLE);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="groupId" value={groupId} />
      <input type="hidden" name="deviceId" value={deviceId} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Remove ${label} from the group`}>
        Remove
      </button>
      {state.status === "error" ? <FormStatus state={state} /> : null}
    </form>
  );
}

export function DeleteGroupButton({ groupId, name }: { groupId: number; name: string }) {
  const [state, action, pending] = useActionState(deleteGroupAction, IDLE);
  return (
    <form action={action} className="form" aria-label="Delete the group" onSubmit={(e) => !window.confirm(`Delete the group ${name}? Its devices stay.`) && e.preventDefault()}>
      <input type="hidden" name="groupId" value={groupId} />
      <FormStatus state={state} />
      <button type="submit" className="danger" disabled={pending}>
        Delete group
      </button>
    </form>
  );
}
