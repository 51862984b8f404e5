/**
 * The OMA DM account a bootstrap gives a device (OMA CP, application w7): this server's OMA DM
 * address and the credentials both sides prove themselves with. The credentials are derived
 * from the server secret and the device's UUID, not stored: any app node computes the same ones,
 * and the OMA DM session endpoint (roadmap step 4) will check them the same way. What the
 * message stores and the console shows is this account without its secrets.
 */
import { createHmac } from "node:crypto";
import type { DmAccount } from "./wap/provisioning";

/** Where the OMA DM session endpoint will listen (roadmap step 4). */
export const OMA_DM_PATH = "/omadm";
export const OMA_DM_SERVER_ID = "DeployDesk";

function derived(secret: Buffer, purpose: string, deviceUuid: string, length: number): string {
  return createHmac("sha256", secret).update(`omadm-${purpose}:${deviceUuid}`).digest("base64url").slice(0, length);
}

export function bootstrapAccount(secret: Buffer, serverBaseUrl: string, deviceUuid: string): DmAccount {
  return {
    name: "DeployDesk",
    serverId: OMA_DM_SERVER_ID,
    serverAddress: `${serverBaseUrl.replace(/\/+$/, "")}${OMA_DM_PATH}`,
    serverPassword: derived(secret, "server-password", deviceUuid, 20),
    serverNonce: Buffer.from(derived(secret, "server-nonce", deviceUuid, 16)).toString("base64"),
    clientUsername: deviceUuid,
    clientPassword: derived(secret, "client-password", deviceUuid, 20),
    clientNonce: Buffer.from(derived(secret, "client-nonce", deviceUuid, 16)).toString("base64"),
    authType: "DIGEST",
    init: true,
  };
}

/** The account as the outbox shows it: every field but the passwords and nonces. */
export function publicAccount(account: DmAccount): Record<string, unknown> {
  const { serverPassword, clientPassword, serverNonce, clientNonce, ...rest } = account;
  void serverPassword, clientPassword, serverNonce, clientNonce;
  return { ...rest, credentials: "derived from the server secret (not shown)" };
}
