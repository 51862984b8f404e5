import { describe, expect, it } from "vitest";
import { contentEntries, httpUrl, messageKindLabel, messageStateLabel, messageSummary } from "./message-view";

describe("a message as people read it", () => {
  it("names kinds and states, and shows unknown values as stored", () => {
    expect(messageKindLabel("SMS_PUSH")).toBe("SMS push");
    expect(messageKindLabel("BOOTSTRAP")).toBe("OMA DM bootstrap");
    expect(messageKindLabel("constructor")).toBe("constructor");
    expect(messageStateLabel("kept")).toBe("Kept (development outbox)");
    expect(messageStateLabel("recorded")).toBe("recorded");
  });

  it("sums each kind up in one line", () => {
    const push = { text: "Install Scanner 2.1: http://dd/packages/t/setup.cab", link: "http://dd/packages/t/setup.cab", expiresAt: "2026-12-02T00:00:00.000Z" };
    expect(messageSummary("SMS_PUSH", push)).toEqual({ text: push.text, link: null });
    expect(messageSummary("WAP_PUSH", push)).toEqual({ text: push.text, link: push.link });
    expect(messageSummary("BOOTSTRAP", { server: "https://dm.example.test" })).toEqual({ text: "OMA DM bootstrap for https://dm.example.test", link: null });
    expect(messageSummary("BOOTSTRAP", {})).toEqual({ text: "OMA DM bootstrap for (no server)", link: null });
    expect(messageSummary("SMS_PUSH", { text: 5 })).toEqual({ text: "(no text)", link: null });
  });

  it("lists every content field, nested ones dotted, and links only http(s) URLs", () => {
    expect(
      contentEntries({
        server: "https://dm.example.test",
        account: { name: "DeployDesk", auth: { type: "DIGEST" }, addresses: ["a", "b"], port: 443, empty: {} },
        evil: "javascript:alert(1)",
        none: null,
      }),
    ).toEqual([
      { key: "server", value: "https://dm.example.test", href: "https://dm.example.test" },
      { key: "account.name", value: "DeployDesk", href: null },
      { key: "account.auth.type", value: "DIGEST", href: null },
      { key: "account.addresses[0]", value: "a", href: null },
      { key: "account.addresses[1]", value: "b", href: null },
      { key: "account.port", value: "443", href: null },
      { key: "account.empty", value: "{}", href: null },
      { key: "evil", value: "javascript:alert(1)", href: null },
      { key: "none", value: "null", href: null },
    ]);
    expect(contentEntries({})).toEqual([{ key: "(content)", value: "{}", href: null }]);
    expect(contentEntries("text")).toEqual([{ key: "(content)", value: "text", href: null }]);
    // Deeper than four levels, the rest is shown as JSON rather than walked.
    expect(contentEntries({ a: { b: { c: { d: { e: 1 } } } } })).toEqual([{ key: "a.b.c.d", value: '{"e":1}', href: null }]);
  });

  it("takes only http and https as links", () => {
    expect(httpUrl("http://x/packages/a")).toBe("http://x/packages/a");
    expect(httpUrl("data:text/html,hi")).toBeNull();
    expect(httpUrl("not a url")).toBeNull();
  });
});
