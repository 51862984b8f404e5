"use client";
import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { IDLE } from "@/lib/actions/form-state";
import type { InstructionView } from "@/lib/software/queries";
import { updateSoftwareAction, withdrawSoftwareAction } from "@/app/(console)/software/[softwareId]/actions";
import { InstructionFields } from "./instruction-fields";

type Props = { id: number; name: string; version: string; dmeClient: boolean; defaultBuild: boolean; testBuild: boolean; withdrawn: boolean; instructions: InstructionView };

export function EditSoftwareForm(p: Props) {
  const [state, action, pending] = useActionState(updateSoftwareAction, IDLE);
  const [wState, withdraw, withdrawing] = useActionState(withdrawSoftwareAction, IDLE);
  // After a refusal the form shows what was typed (echoed back), not the stored values.
  const v = state.status === "error" && state.values ? (state.values as unknown as Partial<InstructionView> & Record<string, string>) : null;
  return (
    <>
      <form key={state.at} action={action} className="form" aria-label="Edit software" noValidate>
        <input type="hidden" name="softwareId" value={p.id} />
        <label htmlFor="edit-name">Name</label>
        <input id="edit-name" name="name" defaultValue={v?.name ?? p.name} aria-invalid={Boolean(state.fields.name)} />
        <label htmlFor="edit-version">Version</label>
        <input id="edit-version" name="version" defaultValue={v?.version ?? p.version} aria-invalid={Boolean(state.fields.version)} />
        {state.fields.version ? <p className="field-error">{state.fields.version}</p> : null}
        {p.dmeClient ? (
          <fieldset>
            <legend>Build</legend>
            <label className="check">
              <input type="hidden" name="defaultBuild" value="false" />
              <input type="checkbox" name="defaultBuild" value="true" defaultChecked={p.defaultBuild} disabled={p.withdrawn} /> Default build for its platform
            </label>
            <label className="check">
              <input type="hidden" name="testBuild" value="false" />
              <input type="checkbox" name="testBuild" value="true" defaultChecked={p.testBuild} /> Test build
            </label>
          </fieldset>
        ) : null}
        <InstructionFields values={p.instructions} errors={state.fields} />
        <FormStatus state={state} />
        <button type="submit" disabled={pending}>
          Save
        </button>
      </form>
      {p.withdrawn ? null : (
        <form
          action={withdraw}
          className="form"
          aria-label="Withdraw software"
          onSubmit={(e) => {
            if (!window.confirm("Withdraw this entry? It leaves every device's poll, and devices remove it.")) e.preventDefault();
          }}
        >
          <input type="hidden" name="softwareId" value={p.id} />
          <FormStatus state={wState} />
          <button type="submit" className="danger" disabled={withdrawing}>
            Withdraw
          </button>
        </form>
      )}
    </>
  );
}
