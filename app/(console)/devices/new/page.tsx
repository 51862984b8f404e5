import Link from "next/link";
import { RegisterDeviceForm } from "@/components/devices/register-device-form";
import { requireActor } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Register a device" };

export default async function NewDevicePage() {
  await requireActor({ device: ["write"] });
  return (
    <>
      <p>
        <Link href="/devices">← Devices</Link>
      </p>
      <h1>Register a device</h1>
      <p className="muted">
        For a device that does not enroll itself: it gets its own token here. Devices with the enrollment secret register themselves at their first poll.
      </p>
      <RegisterDeviceForm />
    </>
  );
}
