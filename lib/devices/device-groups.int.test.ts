import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createTestDevice, createTestUser } from "@/lib/testing/factories";
import { addToGroup, createGroup, getGroup, listGroupMembers, parseUuidList, removeFromGroup } from "./device-groups";
import { removeDevice } from "./manage-devices";

describe("device groups", () => {
  it("a static group counts each member once, names unknown devices, and loses a removed device", async () => {
    const { actor } = await createTestUser("superuser");
    const group = await createGroup(actor, { kind: "STATIC", name: `Depot ${randomUUID().slice(0, 6)}` });
    const [a, b, c] = [await createTestDevice(), await createTestDevice(), await createTestDevice()];
    expect(await addToGroup(actor, group.id, { uuids: parseUuidList(`${a.deviceUuid}\n${b.deviceUuid}, ${a.deviceUuid}`) })).toEqual({ added: 2 });
    expect(await addToGroup(actor, group.id, { uuids: [b.deviceUuid, c.deviceUuid] })).toEqual({ added: 1 });
    await expect(addToGroup(actor, group.id, { uuids: ["NO-SUCH-DEVICE"] })).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: "No device NO-SUCH-DEVICE." });
    expect((await getGroup(group.id))?.memberCount).toBe(3);
    await removeFromGroup(actor, group.id, [b.id]);
    await removeDevice(actor, c.deviceUuid);
    expect((await getGroup(group.id))?.memberCount).toBe(1);
    expect((await listGroupMembers(group.id)).members.map((m) => m.deviceUuid)).toEqual([a.deviceUuid]);
    expect(await db().deviceGroupMember.count({ where: { groupId: group.id } })).toBe(1);
  });

  it("names are unique, saved filters take no members, and Read-only users change nothing", async () => {
    const { actor } = await createTestUser("admin");
    const name = `Overdue ${randomUUID().slice(0, 6)}`;
    const filter = await createGroup(actor, { kind: "FILTER", name, filter: "?lastContact=overdue" });
    expect(filter.filter).toBe("lastContact=overdue");
    await expect(createGroup(actor, { kind: "STATIC", name })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(addToGroup(actor, filter.id, { ids: [1] })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createGroup(actor, { kind: "OTHER", name: "x" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const readonly = await createTestUser("readonly");
    await expect(createGroup(readonly.actor, { kind: "STATIC", name: "mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
