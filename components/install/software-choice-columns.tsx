"use client";
import Link from "next/link";
import { columnHelperFor } from "@/components/data-table/features";
import { softwareKindLabel } from "@/lib/installation-jobs/status-model";
import type { InstallableSoftware } from "@/lib/software/queries";

export type SoftwareChoiceRow = InstallableSoftware & { href: string };

const helper = columnHelperFor<SoftwareChoiceRow>();

/** The wizard's first step: each installable entry, its name the link to the next step. */
export const softwareChoiceColumns = helper.columns([
  helper.accessor((s) => `${s.name} ${s.version}`, {
    id: "name",
    header: "Software",
    sortFn: "alphanumeric",
    meta: { className: "primary" },
    cell: (info) => (
      <>
        <Link href={info.row.original.href}>{info.getValue()}</Link>
        {info.row.original.defaultBuild ? <span className="badge badge-default">Default build</span> : null}
        {info.row.original.testBuild ? <span className="badge badge-test">Test build</span> : null}
      </>
    ),
  }),
  helper.accessor((s) => softwareKindLabel(s.kind), { id: "kind", header: "Kind", sortFn: "alphanumeric" }),
  helper.accessor((s) => s.platform ?? "Any platform", { id: "platform", header: "Platform", sortFn: "alphanumeric" }),
]);
