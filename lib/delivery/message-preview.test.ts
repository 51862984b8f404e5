import { describe, expect, it } from "vitest";
import { messagePreview } from "./message-preview";

const link = "https://dm.example.com/packages/TICKET/app.cab";

describe("messagePreview", () => {
  it("shows an SMS's text with its coding", async () => {
    const p = await messagePreview("SMS_PUSH", { id: "7", deviceUuid: "D", content: { text: `Install App 1.0: ${link}`, link } });
    expect(p!.rows).toEqual([
      { key: "text", value: `Install App 1.0: ${link}` },
      { key: "coding", value: "GSM 7-bit, 1 SMS" },
    ]);
  });
  it("decodes the Service Indication a WAP push sends, from its bytes", async () => {
    const p = await messagePreview("WAP_PUSH", { id: "8", deviceUuid: "D", content: { text: `Install App 1.0: ${link}`, title: "Install App 1.0", link, expiresAt: "2026-12-01T13:00:00.000Z" } });
    const rows = Object.fromEntries(p!.rows.map((r) => [r.key, r.value]));
    expect(rows).toMatchObject({ href: link, text: "Install App 1.0", "si-id": "deploydesk-8@dm.example.com", "si-expires": "2026-12-01T13:00:00.000Z", action: "signal-high" });
  });
  it("says why a message cannot be built instead of failing the page", async () => {
    const p = await messagePreview("WAP_PUSH", { id: "9", deviceUuid: "D", content: {} });
    expect(p!.rows[0]!.key).toBe("cannot be built");
  });
});
