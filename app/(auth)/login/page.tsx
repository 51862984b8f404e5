import { redirect } from "next/navigation";
import { currentActor, safeReturnPath } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const back = typeof next === "string" ? safeReturnPath(next) : undefined;
  if (await currentActor()) redirect(back ?? "/devices");
  return (
    <div className="auth-page">
      <h1>Sign in to DeployDesk</h1>
      <SignInForm next={back} />
    </div>
  );
}
