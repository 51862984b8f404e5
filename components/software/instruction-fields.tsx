/**
 * The instruction fields (protocol §5.4) as form controls, shared by the upload form and the
 * edit form. Each checkbox follows a hidden "false", so an unticked box is sent too (the last
 * value of a name wins on the server).
 */
import type { InstructionView } from "@/lib/software/queries";

type Props = { values: Partial<InstructionView>; errors: Record<string, string> };

function Check({ name, label, checked }: { name: string; label: string; checked: boolean | undefined }) {
  return (
    <label className="check">
      <input type="hidden" name={name} value="false" />
      <input type="checkbox" name={name} value="true" defaultChecked={checked} /> {label}
    </label>
  );
}

function Err({ errors, name }: { errors: Record<string, string>; name: string }) {
  return errors[name] ? (
    <p className="field-error" id={`${name}-error`}>
      {errors[name]}
    </p>
  ) : null;
}

/** aria-invalid and aria-describedby for a field with a message (the id Err gives it). */
export function invalidProps(errors: Record<string, string>, name: string) {
  return errors[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {};
}

export function InstructionFields({ values: v, errors }: Props) {
  return (
    <fieldset>
      <legend>What the device is told (instructions)</legend>
      <Check name="required" label="Required (the user cannot decline it)" checked={v.required ?? true} />
      <label htmlFor="shortDescription">Short description</label>
      <input id="shortDescription" name="shortDescription" defaultValue={v.shortDescription} {...invalidProps(errors, "shortDescription")} />
      <Err errors={errors} name="shortDescription" />
      <label htmlFor="longDescription">Long description</label>
      <textarea id="longDescription" name="longDescription" rows={3} defaultValue={v.longDescription} />
      <Err errors={errors} name="longDescription" />
      <fieldset>
        <legend>Download over</legend>
        <Check name="lowBandwidth" label="Low bandwidth" checked={v.lowBandwidth ?? true} />
        <Check name="highBandwidth" label="High bandwidth" checked={v.highBandwidth ?? true} />
        <Check name="cradled" label="Cradled" checked={v.cradled ?? false} />
        <Err errors={errors} name="lowBandwidth" />
      </fieldset>
      <label htmlFor="startTime">Start time (empty: as soon as possible)</label>
      <input id="startTime" name="startTime" type="datetime-local" defaultValue={v.startTime} {...invalidProps(errors, "startTime")} />
      <Err errors={errors} name="startTime" />
      <Check name="startTimeUtc" label="Start time is UTC (otherwise the device's local time)" checked={v.startTimeUtc ?? false} />
      <Check name="sourceFiles" label="Keep the source files after installing" checked={v.sourceFiles ?? true} />
      <label htmlFor="recurrenceHours">Repeat every … hours (empty: once)</label>
      <input id="recurrenceHours" name="recurrenceHours" type="number" min={1} defaultValue={v.recurrenceHours ?? ""} {...invalidProps(errors, "recurrenceHours")} />
      <Err errors={errors} name="recurrenceHours" />
      <label htmlFor="recurrenceBehavior">When repeating</label>
      <select id="recurrenceBehavior" name="recurrenceBehavior" defaultValue={v.recurrenceBehavior ?? "DOWNLOAD_AND_EXECUTE"}>
        <option value="DOWNLOAD_AND_EXECUTE">Download and execute</option>
        <option value="EXECUTE_ONLY">Execute only</option>
      </select>
      <label htmlFor="localDestination">Local destination on the device</label>
      <input id="localDestination" name="localDestination" defaultValue={v.localDestination ?? "\\temp"} {...invalidProps(errors, "localDestination")} />
      <Err errors={errors} name="localDestination" />
      <label htmlFor="commandLine">Command line after download</label>
      <input id="commandLine" name="commandLine" defaultValue={v.commandLine} {...invalidProps(errors, "commandLine")} />
      <Err errors={errors} name="commandLine" />
    </fieldset>
  );
}
