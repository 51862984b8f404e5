"use client";
/**
 * The install wizard's Installation window (DME manual): how the chosen software reaches the
 * chosen devices. *Use DM* sends it over OMA DM, bootstrapping devices first where needed,
 * with a download-link method to fall back to; or a download-link method directly: SMS push,
 * WAP push, or Mark for Installation (the link is handed over at the device's next poll). The
 * server creates every job in one transaction (or, released gradually, the first of them and the
 * plan for the rest) and opens the batch's Installation status view.
 */
import { useActionState, useEffect, useRef, useState } from "react";
import { FieldError, FormStatus } from "@/components/forms/form-status";
import { installAction } from "@/app/(console)/install/actions";
import { SelectionFields } from "@/components/devices/selection-fields";
import { RolloutFields } from "@/components/install/rollout-fields";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { IDLE } from "@/lib/actions/form-state";
import { installBatchSchema } from "@/lib/installation-jobs/install-batch-schema";
import { installInputFromForm } from "@/lib/installation-jobs/install-form";
import type { FormSelection } from "@/lib/devices/selection-form";

export type SoftwareChoice = { id: number; label: string };

const LINK_METHODS = [
  { value: "SMS_PUSH", label: "SMS push", hint: "a text message with the download link, to the device's phone number" },
  { value: "WAP_PUSH", label: "WAP push", hint: "a WAP Service Indication with the link, to the device's phone number" },
  { value: "MARK_FOR_INSTALLATION", label: "Mark for Installation", hint: "the link is handed over at the device's next poll" },
] as const;

type Props = {
  /** One software (the wizard chose it), or the ones to choose from (a bulk action on the devices list). */
  software: { fixed: SoftwareChoice } | { choices: SoftwareChoice[] };
  selection: FormSelection;
  /** What the selection is, in words ("3 devices", "every matching device (about 1,000)"). */
  summary: string;
  onCancel?: () => void;
};

export function InstallWindow(props: Props) {
  const [server, action, pending] = useActionState(installAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(installBatchSchema, server, installInputFromForm);
  const v = state.values ?? {};
  const [method, setMethod] = useState(v.method ?? "OMA_DM");
  return (
    <form key={server.at} action={action} onSubmit={onSubmit} className="form install-window" aria-label="Installation window" data-testid="install-window" noValidate>
      <SelectionFields selection={props.selection} />
      <p>
        Install on <strong data-testid="install-summary">{props.summary}</strong>.
      </p>
      {"fixed" in props.software ? (
        <>
          <input type="hidden" name="softwareId" value={props.software.fixed.id} />
          <p>
            Software: <strong>{props.software.fixed.label}</strong>
          </p>
        </>
      ) : (
        <>
          <label htmlFor="install-software">Software</label>
          <select id="install-software" name="softwareId" defaultValue={v.softwareId ?? ""} aria-invalid={Boolean(state.fields.softwareId)} required>
            <option value="" disabled>
              Choose the software…
            </option>
            {props.software.choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
          <FieldError state={state} name="softwareId" />
        </>
      )}
      <fieldset>
        <legend>Installation method</legend>
        <label className="check">
          <input type="radio" name="method" value="OMA_DM" checked={method === "OMA_DM"} onChange={() => setMethod("OMA_DM")} />
          <span>
            Use DM <span className="muted hint">— OMA DM; devices not yet bootstrapped are bootstrapped first</span>
          </span>
        </label>
        {method === "OMA_DM" ? (
          <div className="indented">
            <label htmlFor="install-fallback">If OMA DM cannot reach a device, fall back to</label>
            <select id="install-fallback" name="fallbackMethod" defaultValue={v.fallbackMethod ?? "MARK_FOR_INSTALLATION"} aria-invalid={Boolean(state.fields.fallbackMethod)}>
              {LINK_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
            <FieldError state={state} name="fallbackMethod" />
          </div>
        ) : null}
        {LINK_METHODS.map((m) => (
          <label key={m.value} className="check">
            <input type="radio" name="method" value={m.value} checked={method === m.value} onChange={() => setMethod(m.value)} />
            <span>
              {m.label} <span className="muted hint">— {m.hint}</span>
            </span>
          </label>
        ))}
        <FieldError state={state} name="method" />
      </fieldset>
      <label className="check">
        <input type="checkbox" name="skipExisting" defaultChecked={v.skipExisting === "on"} />
        <span>Leave out devices that already have an unfinished job for this software (otherwise the installation is refused and they are named)</span>
      </label>
      <RolloutFields state={state} />
      <FieldError state={state} name="deviceUuids" />
      <FieldError state={state} name="deviceFilter" />
      <FieldError state={state} name="groupId" />
      <FormStatus state={state} />
      <div className="button-row">
        <button type="submit" disabled={pending}>
          {pending ? "Creating jobs…" : "Install"}
        </button>
        {props.onCancel ? (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** A button that opens the Installation window as a modal dialog (Escape closes it). */
export function InstallDialog(props: Omit<Props, "onCancel"> & { buttonText: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {props.buttonText}
      </button>
      <dialog ref={dialog} className="modal" aria-labelledby="install-dialog-title" onClose={() => setOpen(false)}>
        <h2 id="install-dialog-title">Installation</h2>
        {/* Mounted only while open: a new selection gets a fresh form. */}
        {open ? <InstallWindow software={props.software} selection={props.selection} summary={props.summary} onCancel={() => setOpen(false)} /> : null}
      </dialog>
    </>
  );
}
