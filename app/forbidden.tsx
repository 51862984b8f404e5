import Link from "next/link";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <main id="main" className="standalone">
      <h1>Not allowed</h1>
      <p>Your role does not allow this page. An Admin can change your role.</p>
      <p>
        <Link href="/devices">Go to the devices list</Link>
      </p>
    </main>
  );
}
