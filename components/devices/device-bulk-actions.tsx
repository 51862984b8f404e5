"use client";
/**
 * The devices list's bulk actions, for the devices picked on the page or every device the
 * filters match: install software (the Installation window), cancel their unfinished jobs,
 * add them to a static group. Each shows only when the user's role allows it; the server
 * checks the role again.
 */
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { InstallDialog, type SoftwareChoice } from "@/components/install/install-window";
import { addSelectionToGroupAction, cancelUnfinishedAction, saveFilterAction } from "@/app/(console)/devices/(list)/actions";
import { IDLE } from "@/lib/actions/form-state";
import type { FormSelection } from "@/lib/devices/selection-form";
import { SelectionFields } from "./selection-fields";

export type DeviceBulkOptions = {
  /** Whether the role may create and cancel jobs (install, cancel unfinished). */
  canWriteJobs: boolean;
  /** Installable software (empty when the role may not install). */
  software: SoftwareChoice[];
  /** Static groups to add to; null when the role may not change groups. */
  groups: { id: number; name: string }[] | null;
  canSaveFilter: boolean;
};

type Props = { options: DeviceBulkOptions; selection: FormSelection; summary: string };

export function DeviceBulkActions({ options, selection, summary }: Props) {
  return (
    <>
      {options.canWriteJobs ? <InstallDialog buttonText="Install software…" software={{ choices: options.software }} selection={selection} summary={summary} /> : null}
      {options.canWriteJobs ? <CancelUnfinished selection={selection} summary={summary} /> : null}
      {options.groups && options.groups.length > 0 ? <AddToGroup groups={options.groups} selection={selection} /> : null}
    </>
  );
}

function CancelUnfinished({ selection, summary }: { selection: FormSelection; summary: string }) {
  const [state, action, pending] = useActionState(cancelUnfinishedAction, IDLE);
  return (
    <form action={action} className="inline-form" onSubmit={(e) => !window.confirm(`Cancel every unfinished job of ${summary}? Their packages leave the devices' next polls.`) && e.preventDefault()}>
      <SelectionFields selection={selection} />
      <button type="submit" className="secondary" disabled={pending}>
        Cancel unfinished jobs
      </button>
      {state.status !== "idle" ? <FormStatus state={state} /> : null}
    </form>
  );
}

function AddToGroup({ groups, selection }: { groups: { id: number; name: string }[]; selection: FormSelection }) {
  const [state, action, pending] = useActionState(addSelectionToGroupAction, IDLE);
  return (
    <form action={action} className="inline-form" aria-label="Add to a group">
      <SelectionFields selection={selection} />
      <label htmlFor="bulk-group" className="sr-only">
        Group
      </label>
      <select id="bulk-group" name="targetGroupId" defaultValue={state.values?.targetGroupId ?? String(groups[0]!.id)}>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <button type="submit" className="secondary" disabled={pending}>
        Add to group
      </button>
      {state.status !== "idle" ? <FormStatus state={state} /> : null}
    </form>
  );
}

/** "Save as group": the list's filters become a saved-filter group, usable wherever devices are chosen. */
export function SaveFilterForm({ filter }: { filter: string }) {
  const [state, action, pending] = useActionState(saveFilterAction, IDLE);
  return (
    <form key={state.at} action={action} className="inline-form save-filter" aria-label="Save as group">
      <input type="hidden" name="filter" value={filter} />
      <label htmlFor="save-filter-name">Save these filters as a group</label>
      <input id="save-filter-name" name="name" placeholder="Group name" defaultValue={state.values?.name} aria-invalid={Boolean(state.fields.name)} required maxLength={100} />
      <button type="submit" className="secondary" disabled={pending}>
        Save as group
      </button>
      {state.status !== "idle" ? <FormStatus state={state} /> : null}
    </form>
  );
}
