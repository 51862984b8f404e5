/**
 * Where the device's reports (X-Device-Action: Report) get their rows: software and machine
 * inventories (parsed, with the raw document as a device message) and collected files (bytes
 * in the file store, a row here). The device page shows the latest of each.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { sql, statement } from "@/lib/db/sql";
import type { MachineInventory, SoftwareInventory } from "@/lib/device-protocol/inventory";
import { fileStore } from "@/lib/storage/file-store";
import { storeDeviceMessages, type StoredMessage } from "./device-messages";

export type InventoryKind = "SOFTWARE" | "MACHINE";

const insertInventorySql = statement<{ id: string }>(
  "devices_insert_inventory",
  `INSERT INTO device_inventories (device_id, kind, received_at, message_row_id, data)
   VALUES ($1::int, $2::inventory_kind, $3::timestamptz, $4::bigint, $5::jsonb)
   RETURNING id::text`,
);

export async function recordInventory(
  deviceId: number,
  kind: InventoryKind,
  raw: { body: string; headers: Record<string, string> },
  data: SoftwareInventory | MachineInventory,
  now: Date,
): Promise<void> {
  await sql().transaction(async (tx) => {
    const action = kind === "SOFTWARE" ? "Report: SoftwareInventory" : "Report: MachineInventory";
    const [{ messageRowId }] = (await storeDeviceMessages(tx, [{ deviceId, action, headers: raw.headers, body: raw.body }], now)) as [StoredMessage];
    await tx.query(insertInventorySql, [deviceId, kind, now, messageRowId, JSON.stringify(data)]);
  });
}

const insertCollectedFileSql = statement<{ id: string }>(
  "devices_insert_collected_file",
  `WITH touched AS (UPDATE devices SET last_contact_at = $3::timestamptz WHERE id = $1::int RETURNING id)
   INSERT INTO collected_files (device_id, path, received_at, size, sha256, storage_key)
   SELECT id, $2::text, $3::timestamptz, $4::bigint, $5::text, $6::text FROM touched
   RETURNING id::text`,
);

/** A collected file: the bytes to the file store first, then its row (a crash between leaves only an orphan file). */
export async function recordCollectedFile(deviceId: number, path: string, body: Buffer, now: Date): Promise<string> {
  const key = `collected/${deviceId}/${randomUUID()}`;
  const stored = await fileStore().put(key, Readable.from([body]));
  const [row] = await sql().query(insertCollectedFileSql, [deviceId, path, now, stored.size, stored.sha256, key]);
  if (!row) {
    await fileStore().remove(key);
    throw new Error(`device ${deviceId} vanished while uploading a file`);
  }
  return row.id;
}
