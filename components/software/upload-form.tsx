"use client";
/**
 * Adding an entry: the fields and the file go in one multipart POST to /software/upload,
 * sent with XMLHttpRequest because fetch() reports no upload progress. The server streams the
 * file to storage; on a refusal the form keeps everything typed, and the file stays chosen.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { newSoftwareSchema, uploadFieldsInput } from "@/lib/software/software-schemas";
import { fieldErrors } from "@/lib/validation";
import { InstructionFields, invalidProps } from "./instruction-fields";

type Answer = { id?: number; error?: { message: string; fields?: { field: string; message: string }[] } };

export function UploadForm() {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [kind, setKind] = useState("OTHER_SOFTWARE");
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // After the browser's check finds mistakes, the first field marked gets the focus (the form is long).
  const [focusFirst, setFocusFirst] = useState(0);
  useEffect(() => {
    if (focusFirst > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusFirst]);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // The service's own checks first, in the browser: a mistake is shown before a large file
    // is sent. The server checks everything again.
    const local: Record<string, string> = {};
    const checked = newSoftwareSchema.safeParse(uploadFieldsInput(data.entries()));
    if (!checked.success) for (const f of fieldErrors(checked.error)) local[f.field] ??= f.message;
    const file = data.get("file");
    if (!(file instanceof File) || file.name === "") local.file = "Choose a file.";
    else if (file.size === 0) local.file = "The file is empty.";
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage("Check the fields marked.");
      setFocusFirst((n) => n + 1);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/software/upload");
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(e.loaded / e.total);
    xhr.onerror = () => {
      setProgress(null);
      setMessage("The upload was interrupted. Check the connection and try again.");
    };
    xhr.onload = () => {
      setProgress(null);
      let answer: Answer = {};
      try {
        answer = JSON.parse(xhr.responseText) as Answer;
      } catch {
        answer = { error: { message: `The server answered ${xhr.status}.` } };
      }
      if (xhr.status === 201 && answer.id) {
        router.push(`/software/${answer.id}`);
        return;
      }
      setMessage(answer.error?.message ?? `The server answered ${xhr.status}.`);
      setErrors(Object.fromEntries((answer.error?.fields ?? []).map((f) => [f.field, f.message])));
    };
    setMessage("");
    setErrors({});
    setProgress(0);
    xhr.send(data);
  }

  const err = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    // method/action/encType: before the script runs, the browser still posts the whole upload.
    <form
      ref={form}
      onSubmit={submit}
      method="post"
      action="/software/upload"
      encType="multipart/form-data"
      className="form"
      aria-label="Add software"
      data-hydrated={hydrated ? "true" : "false"}
      noValidate
    >
      <label htmlFor="kind">Kind</label>
      <select id="kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
        <option value="OTHER_SOFTWARE">Other software</option>
        <option value="DME_CLIENT">DME client (the management client itself)</option>
      </select>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" required {...invalidProps(errors, "name")} />
      {err("name")}
      <label htmlFor="version">Version</label>
      <input id="version" name="version" required {...invalidProps(errors, "version")} />
      {err("version")}
      <label htmlFor="platform">Platform{kind === "DME_CLIENT" ? "" : " (empty: any)"}</label>
      <input id="platform" name="platform" placeholder="e.g. PocketPC 2003" {...invalidProps(errors, "platform")} />
      {err("platform")}
      {kind === "DME_CLIENT" ? (
        <fieldset>
          <legend>Build</legend>
          <label className="check">
            <input type="checkbox" name="defaultBuild" value="true" /> Default build for this platform (replaces the current default)
          </label>
          <label className="check">
            <input type="checkbox" name="testBuild" value="true" /> Test build
          </label>
          {err("defaultBuild")}
          {err("testBuild")}
        </fieldset>
      ) : null}
      <label htmlFor="packageId">Package ID (a GUID; empty: a new one)</label>
      <input id="packageId" name="packageId" className="mono" placeholder="leave empty for a new GUID" {...invalidProps(errors, "packageId")} />
      {err("packageId")}
      <label htmlFor="file">Package file</label>
      <input id="file" name="file" type="file" required {...invalidProps(errors, "file")} />
      {err("file")}
      <InstructionFields values={{}} errors={errors} />
      {progress !== null ? <progress value={progress} max={1} aria-label="Upload progress" /> : null}
      <p role="status" aria-live="polite" data-testid="form-status" className={message ? "form-error" : "muted"}>
        {message}
      </p>
      <button type="submit" disabled={progress !== null}>
        {progress !== null ? `Uploading… ${Math.round(progress * 100)}%` : "Upload"}
      </button>
    </form>
  );
}
