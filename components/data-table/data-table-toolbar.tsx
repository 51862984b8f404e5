"use client";
/**
 * A server-mode table's toolbar: a search box, labelled inputs (a device, a time range) and
 * faceted filters (several values each) that change the URL, and "Clear filters". It is a GET form, so it works before (and without)
 * JavaScript; with it, a filter applies as soon as it is ticked and the page changes without a
 * full reload. Any change starts again from the first page (the form carries no cursor).
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition, type FormEvent, type KeyboardEvent } from "react";

export type FacetOption = { value: string; label: string };
export type Facet = { name: string; title: string; options: FacetOption[]; selected: string[] };
/**
 * A labelled input. `values`: one input per value in the address (a filter given several times
 * keeps each), at least one. They apply on Enter or with the search button, like the search.
 */
export type ToolbarField = { name: string; label: string; type?: "text" | "datetime-local"; values: string[]; placeholder?: string; minLength?: number };

type Props = {
  /** The list's path; the form's GET target. */
  action: string;
  search: { name: string; label: string; placeholder: string; value: string | null; minLength?: number };
  fields?: ToolbarField[];
  facets: Facet[];
  /** Parameters kept across a change (the sort, the page size), as [name, value]. */
  keep: [string, string][];
  /** Where "Clear filters" goes (the same sort, no filters); null when there is nothing to clear. */
  clearHref: string | null;
};

export function DataTableToolbar(props: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    // The browser's own checks (a search too short) apply to a ticked filter too.
    if (!form.current!.checkValidity()) return void form.current!.reportValidity();
    const data = new FormData(form.current!);
    const query = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === "string" && value.trim() !== "") query.append(name, value.trim());
    const href = query.toString() ? `${props.action}?${query}` : props.action;
    startTransition(() => router.push(href, { scroll: false }));
  }

  return (
    <form ref={form} className="toolbar" role="search" method="get" action={props.action} onSubmit={submit} aria-label="Search and filters">
      {props.keep.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="toolbar-search">
        <label htmlFor="toolbar-search" className="sr-only">
          {props.search.label}
        </label>
        <input
          // A new value from the address (Back, Clear filters) replaces what was typed.
          key={props.search.value ?? ""}
          id="toolbar-search"
          type="search"
          name={props.search.name}
          defaultValue={props.search.value ?? ""}
          placeholder={props.search.placeholder}
          minLength={props.search.minLength}
          maxLength={100}
          autoComplete="off"
        />
        <button type="submit">Search</button>
      </div>
      {props.fields && props.fields.length > 0 && (
        <div className="toolbar-fields">
          {props.fields.map((field) => (
            <FieldInputs key={field.name} field={field} />
          ))}
        </div>
      )}
      <div className="toolbar-facets">
        {props.facets.map((facet) => (
          <FacetFilter key={facet.name} facet={facet} onChange={() => submit()} />
        ))}
        {props.clearHref && (
          <Link href={props.clearHref} className="clear-filters" scroll={false}>
            Clear filters
          </Link>
        )}
        <span className="toolbar-status" role="status">
          {pending ? "Loading…" : ""}
        </span>
      </div>
    </form>
  );
}

function FieldInputs({ field }: { field: ToolbarField }) {
  const values = field.values.length > 0 ? field.values : [""];
  return (
    <>
      {values.map((value, i) => {
        const id = `toolbar-${field.name}-${i}`;
        return (
          <span className="toolbar-field" key={`${i}:${value}`}>
            <label htmlFor={id}>{field.label}</label>
            <input
              id={id}
              type={field.type ?? "text"}
              name={field.name}
              defaultValue={value}
              placeholder={field.placeholder}
              minLength={field.minLength}
              // Seconds when the address has them; whole minutes are what people pick.
              step={field.type === "datetime-local" ? 1 : undefined}
              maxLength={field.type === "datetime-local" ? undefined : 100}
              autoComplete="off"
            />
          </span>
        );
      })}
    </>
  );
}

/** One filter: a disclosure with a checkbox per value; ticked values are OR-ed. */
function FacetFilter({ facet, onChange }: { facet: Facet; onChange: () => void }) {
  const details = useRef<HTMLDetailsElement>(null);
  // Values in the address that are not offered (gone from the fleet) stay visible, to untick.
  const options = [...facet.options, ...facet.selected.filter((v) => !facet.options.some((o) => o.value === v)).map((v) => ({ value: v, label: v }))];

  useEffect(() => {
    // A click anywhere else closes it, as a menu would.
    const close = (event: MouseEvent) => {
      if (details.current?.open && !details.current.contains(event.target as Node)) details.current.open = false;
    };
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);

  // The panel opens under its button; near the window's right edge it moves left, as far as
  // the left edge allows, so its values are never cut off nor make the page scroll sideways.
  function onToggle() {
    const panel = details.current?.querySelector<HTMLElement>(".facet-options");
    if (!details.current?.open || !panel) return;
    panel.style.left = "";
    const box = panel.getBoundingClientRect();
    const overflow = box.right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) panel.style.left = `${-Math.min(overflow, Math.max(0, box.left - 8))}px`;
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && details.current?.open) {
      details.current.open = false;
      details.current.querySelector("summary")?.focus();
    }
  }

  return (
    <details ref={details} className="facet" onKeyDown={onKeyDown} onToggle={onToggle}>
      <summary>
        {facet.title}
        {facet.selected.length > 0 && (
          <span className="facet-count">
            {facet.selected.length}
            <span className="sr-only"> selected</span>
          </span>
        )}
      </summary>
      {/* Keyed by the address's values, so Back or Clear filters resets the boxes. */}
      <fieldset key={facet.selected.join("\u0000")} className="facet-options">
        <legend className="sr-only">{facet.title}</legend>
        {options.length === 0 && <p className="muted">No values yet.</p>}
        {options.map((o) => (
          <label key={o.value}>
            <input type="checkbox" name={facet.name} value={o.value} defaultChecked={facet.selected.includes(o.value)} onChange={onChange} />
            {o.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
