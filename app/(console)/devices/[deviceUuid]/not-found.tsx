import Link from "next/link";

export default function DeviceNotFound() {
  return (
    <>
      <h1>Device not found</h1>
      <p>
        No device has that X-Device-UUID. <Link href="/devices">Back to the devices list</Link>.
      </p>
    </>
  );
}
