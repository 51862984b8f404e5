import { ServerSettingsForm } from "@/components/settings/server-settings-form";
import { actorCan } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { getServerSettings } from "@/lib/settings/manage-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Server settings" };

export default async function SettingsPage() {
  const actor = await requireActor({ settings: ["read"] });
  const settings = await getServerSettings(actor);
  return (
    <>
      <h1>Server settings</h1>
      <p className="muted">
        What every poll response tells devices, unless a device has its own settings (on its page). Built-in defaults: poll every {settings.builtIn.pollIntervalMinutes} minutes,
        retry {settings.builtIn.failureRetryCount} times every {settings.builtIn.failureRetryIntervalMinutes} minutes.
      </p>
      <ServerSettingsForm settings={settings} editable={actorCan(actor, { settings: ["write"] })} />
    </>
  );
}
