import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { requireActor } from "@/lib/auth/session";
import { listDevices } from "@/lib/devices/queries";
import { EmptyRow } from "@/components/data-table/empty-row";

export const dynamic = "force-dynamic";
export const metadata = { title: "Devices" };

export default async function DevicesPage() {
  await requireActor({ device: ["read"] });
  const devices = await listDevices();
  return (
    <>
      <h1>Devices</h1>
      <table className="data-table" data-testid="devices">
        <caption>Managed devices</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Device UUID</th>
            <th scope="col">Platform</th>
            <th scope="col">Client version</th>
            <th scope="col">Last contact</th>
            <th scope="col">Installing</th>
            <th scope="col">Needs attention</th>
          </tr>
        </thead>
        <tbody>
          {devices.length === 0 ? (
            <EmptyRow columns={7} text="No devices yet." />
          ) : (
            devices.map((d) => (
              <tr key={d.deviceUuid}>
                <td>
                  <Link href={`/devices/${encodeURIComponent(d.deviceUuid)}`}>{d.name}</Link>
                </td>
                <td className="mono">{d.deviceUuid}</td>
                <td>{d.platform ?? "—"}</td>
                <td>{d.clientVersion ?? "—"}</td>
                <td>{formatDateTime(d.lastContactAt)}</td>
                <td>{d.installingCount}</td>
                <td className={d.attentionCount > 0 ? "status-0" : undefined}>{d.attentionCount}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}
