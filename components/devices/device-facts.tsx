import { formatDateTime } from "@/components/format";
import type { DeviceDetail } from "@/lib/devices/queries";

/** The device record and what its last poll identified. */
export function DeviceFacts({ device }: { device: DeviceDetail }) {
  const id = device.identification;
  const user = id?.userName ? (id.domain && !id.userName.includes("\\") ? `${id.domain}\\${id.userName}` : id.userName) : null;
  return (
    <dl className="facts" data-testid="device-facts">
      <dt>Device UUID</dt>
      <dd className="mono">{device.deviceUuid}</dd>
      <dt>Platform</dt>
      <dd>{device.platform ?? "—"}</dd>
      <dt>Client version</dt>
      <dd>{device.clientVersion ?? "—"}</dd>
      <dt>Phone number</dt>
      <dd>{device.phoneNumber ?? "—"}</dd>
      <dt>OMA DM bootstrap</dt>
      <dd>{device.omaDmBootstrapped ? "Bootstrapped" : "Not bootstrapped"}</dd>
      <dt>Last contact</dt>
      <dd>{formatDateTime(device.lastContactAt)}</dd>
      <dt>Last poll</dt>
      <dd>
        {formatDateTime(device.lastPollAt)}
        {device.pollCursor ? <span className="muted"> (poll cursor, as the device sent it: {device.pollCursor})</span> : null}
      </dd>
      {id ? (
        <>
          <dt>Device name</dt>
          <dd>{id.deviceName ?? "—"}</dd>
          <dt>User</dt>
          <dd>{user ?? "—"}</dd>
          <dt>Processor · code page · LCID</dt>
          <dd>
            {id.processor ?? "—"} · {id.codePage ?? "—"} · {id.systemDefaultLcid ?? "—"}
          </dd>
          <dt>Network</dt>
          <dd>
            {id.networkAdapters.length === 0
              ? "—"
              : id.networkAdapters.map((a, i) => (
                  <div key={i} className="mono">
                    {a.ipAddress ?? "?"} / {a.ipSubnet ?? "?"}
                    {a.mac ? ` · MAC ${a.mac}` : ""}
                  </div>
                ))}
          </dd>
          <dt>Management system</dt>
          <dd>{id.managementSystem ? `${id.managementSystem.name ?? "?"} ${id.managementSystem.version ?? ""}` : "—"}</dd>
        </>
      ) : null}
    </dl>
  );
}
