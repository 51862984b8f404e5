"use client";
import { useActionState } from "react";
import { FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { softwarePatchFromForm, softwarePatchSchema } from "@/lib/software/software-schemas";
import type { InstructionView } from "@/lib/software/queries";
import { updateSoftwareAction, withdrawSoftwareAction } from "@/app/(console)/software/[softwareId]/actions";
import { InstructionFields } from "./instruction-fields";

type Props = { id: number; name: string; version: string; dmeClient: boolean; defaultBuild: boolean; testBuild: boolean; withdrawn: boolean; instructions: InstructionView };

export function EditSoftwareForm(p: Props) {
  const [server, action, pending] = useActionState(updateSoftwareAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(softwarePatchSchema, server, (fd) => softwarePatchFromForm(formInput(fd)).patch);
  const [wState, withdraw, withdrawing] = useActionState(withdrawSoftwareAction, IDLE);
  // After a refusal the form shows what was typed (echoed back), not the stored values.
  const v = state.status === "error" && state.values ? (state.values as unknown as Partial<InstructionView> & Record<string, string>) : null;
  return (
    <>
      <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Edit software" noValidate>
        <input type="hidden" name="softwareId" value={p.id} />
        <TextField id="edit-name" name="name" label="Name" state={state} defaultValue={v?.name ?? p.name} />
        <TextField id="edit-version" name="version" label="Version" state={state} defaultValue={v?.version ?? p.version} />
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
