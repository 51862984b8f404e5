/**
 * Every kind of audit event and how the audit page names it. A new action is added here first,
 * so the page never shows a raw code.
 */
export const AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in refused",
  "auth.sign_out": "Signed out",
  "auth.password_change": "Changed own password",
  "user.create": "Created user",
  "user.set_role": "Changed role",
  "user.disable": "Disabled user",
  "user.enable": "Enabled user",
  "user.set_password": "Set password",
  "user.remove": "Removed user",
  "software.create": "Added software",
  "software.update": "Edited software",
  "software.withdraw": "Withdrew software",
  "device.create": "Registered device",
  "device.update": "Edited device",
  "device.token_reset": "Reset device token",
  "device.remove": "Removed device",
  "device.bootstrap_sent": "Sent a bootstrap",
  "device.bootstrapped": "Marked as bootstrapped",
  "device.bootstrap_failed": "Marked bootstrap as failed",
  "group.create": "Created group",
  "group.delete": "Deleted group",
  "group.add": "Added devices to group",
  "group.remove": "Removed devices from group",
  "job.install": "Started an installation",
  "job.cancel": "Cancelled job",
  "job.cancel_unfinished": "Cancelled the unfinished jobs of devices",
  "job.retry": "Retried job",
  "job.remove": "Removed job",
  "batch.pause": "Paused a gradual installation",
  "batch.resume": "Resumed a gradual installation",
  "batch.auto_pause": "A gradual installation paused itself (failure rate)",
  "message.resent": "Sent a message again",
  "settings.update": "Changed server settings",
  "device.settings": "Changed device settings",
  "api_token.create": "Created API token",
  "api_token.revoke": "Revoked API token",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
