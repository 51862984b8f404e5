import Link from "next/link";
import { SoftwareTable } from "@/components/software/software-table";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { softwareCountHrefs } from "@/lib/installation-jobs/list-jobs-params";
import { listSoftware } from "@/lib/software/queries";
import type { SoftwareRow } from "@/components/software/software-columns";

export const dynamic = "force-dynamic";
export const metadata = { title: "Software library" };

export default async function SoftwarePage() {
  const actor = await requireActor({ software: ["read"] });
  const entries: SoftwareRow[] = (await listSoftware()).map((e) => ({ ...e, countHrefs: softwareCountHrefs(e.id) }));
  const clients = new Map<string, SoftwareRow[]>();
  for (const e of entries.filter((e) => e.kind === "DME_CLIENT")) clients.set(e.platform ?? "Any platform", [...(clients.get(e.platform ?? "Any platform") ?? []), e]);
  const other = entries.filter((e) => e.kind === "OTHER_SOFTWARE");
  return (
    <>
      <div className="page-head">
        <h1>Software library</h1>
        {actorCan(actor, { software: ["write"] }) ? (
          <Link className="button-link" href="/software/new">
            Add software
          </Link>
        ) : null}
      </div>
      <h2>DME clients</h2>
      {clients.size === 0 ? <p className="muted">No DME client builds yet.</p> : null}
      {[...clients].map(([platform, builds]) => (
        <SoftwareTable key={platform} caption={platform} entries={builds} testId={`dme-clients-${platform}`} />
      ))}
      <h2>Other software</h2>
      <SoftwareTable caption="Other software" captionHidden entries={other} testId="other-software" />
    </>
  );
}
