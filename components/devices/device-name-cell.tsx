import Link from "next/link";

/** A device in a table row: its name linking to its page, its UUID (and phone number) beneath. */
export function DeviceNameCell({ name, deviceUuid, phoneNumber }: { name: string; deviceUuid: string; phoneNumber?: string | null }) {
  return (
    <div className="device-name">
      <Link href={`/devices/${encodeURIComponent(deviceUuid)}`}>{name}</Link>
      <span className="row-meta mono" title={deviceUuid}>
        {deviceUuid}
      </span>
      {phoneNumber ? <span className="row-meta">{phoneNumber}</span> : null}
    </div>
  );
}
