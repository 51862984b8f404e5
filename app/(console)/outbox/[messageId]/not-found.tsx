import Link from "next/link";

export default function MessageNotFound() {
  return (
    <>
      <h1>Message not found</h1>
      <p>
        There is no message with that id. <Link href="/outbox">Back to the Outbox</Link>.
      </p>
    </>
  );
}
