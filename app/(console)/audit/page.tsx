import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { listAuditEvents } from "@/lib/audit/queries";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit trail" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const actor = await requireActor({ audit: ["read"] });
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const result = await listAuditEvents(actor, raw).catch((error: unknown) => {
    if (isAppError(error, "VALIDATION_FAILED")) return error;
    throw error;
  });
  const filter = result instanceof Error ? {} : result.filter;
  const keep = new URLSearchParams(Object.entries(filter).flatMap(([k, v]) => (k !== "before" && v ? [[k, String(v)]] : [])));
  return (
    <>
      <h1>Audit trail</h1>
      <p className="muted">Every change made in the console or through the API, and every sign-in, with who made it and from which address.</p>
      <form className="filter-bar" role="search" aria-label="Filter audit events">
        <label>
          User <input name="user" defaultValue={filter.user ?? ""} placeholder="email contains" />
        </label>
        <label>
          Action{" "}
          <select name="action" defaultValue={filter.action ?? ""}>
            <option value="">Any</option>
            {Object.entries(AUDIT_ACTIONS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target id <input name="target" defaultValue={filter.target ?? ""} />
        </label>
        <button type="submit">Filter</button>
        <Link href="/audit">Clear</Link>
      </form>
      {result instanceof Error ? (
        <p className="form-error" role="alert" data-testid="filter-error">
          {result.message}
        </p>
      ) : (
        <>
          <AuditTable rows={result.rows} />
          {result.nextBefore ? (
            <p>
              <Link href={`/audit?${new URLSearchParams([...keep, ["before", result.nextBefore]])}`}>Older events →</Link>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
