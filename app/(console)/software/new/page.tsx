import Link from "next/link";
import { UploadForm } from "@/components/software/upload-form";
import { requireActor } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add software" };

export default async function NewSoftwarePage() {
  await requireActor({ software: ["write"] });
  return (
    <>
      <p>
        <Link href="/software">← Software library</Link>
      </p>
      <h1>Add software</h1>
      <p className="muted">The file is stored as uploaded; its size and SHA-256 are computed on the way. The same file cannot be added twice.</p>
      <UploadForm />
    </>
  );
}
