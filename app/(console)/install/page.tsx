import Link from "next/link";
import { SoftwareChoiceTable } from "@/components/install/software-choice-table";
import { WizardSteps } from "@/components/install/wizard-steps";
import { requireActor } from "@/lib/auth/session";
import { installableSoftware } from "@/lib/software/queries";
import { searchParamValues } from "@/lib/validation";

export const dynamic = "force-dynamic";
export const metadata = { title: "Install software" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The install wizard's first step: choose the software. The devices may be chosen already
 * (from a device page: `devices`; from a group: `group`); they are carried on to the next step.
 */
export default async function InstallPage({ searchParams }: { searchParams: SearchParams }) {
  await requireActor({ job: ["write"] });
  const values = searchParamValues(await searchParams);
  const carried = new URLSearchParams();
  for (const key of ["devices", "group"]) for (const v of values.get(key) ?? []) carried.append(key, v);
  const suffix = carried.toString() ? `?${carried}` : "";
  const rows = (await installableSoftware()).map((s) => ({ ...s, href: `/install/${s.id}${suffix}` }));
  return (
    <>
      <h1>Install software</h1>
      <WizardSteps current={1} />
      <p>
        Choose what to install. Withdrawn entries and entries without a package file are not offered; the <Link href="/software">software library</Link> has them all.
      </p>
      <SoftwareChoiceTable rows={rows} />
    </>
  );
}
