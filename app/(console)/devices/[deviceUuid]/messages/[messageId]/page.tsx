import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { requireActor } from "@/lib/auth/session";
import { getDeviceByUuid } from "@/lib/devices/queries";
import { getDeviceMessage } from "@/lib/installation-log/queries";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ deviceUuid: string; messageId: string }> };

export const metadata: Metadata = { title: "Raw device message" };

/** One raw device message as it was received: its X-Device headers and its body, verbatim. */
export default async function DeviceMessagePage({ params }: Params) {
  await requireActor({ device: ["read"] });
  const { deviceUuid, messageId } = await params;
  const device = await getDeviceByUuid(deviceUuid);
  if (!device) notFound();
  const message = await getDeviceMessage(device.id, messageId);
  if (!message) notFound();
  return (
    <>
      <p>
        <Link href={`/devices/${encodeURIComponent(device.deviceUuid)}`}>← {device.name}</Link>
      </p>
      <h1>
        {message.action} message {message.id}
      </h1>
      <dl className="facts">
        <dt>Received</dt>
        <dd>{formatDateTime(message.receivedAt)}</dd>
        <dt>Size</dt>
        <dd>{message.bytes.toLocaleString("en-US")} bytes</dd>
        {Object.entries(message.headers).map(([name, value]) => (
          <div key={name} style={{ display: "contents" }}>
            <dt className="mono">{name}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
      <pre className="raw-message" data-testid="raw-message">
        {message.body}
      </pre>
    </>
  );
}
