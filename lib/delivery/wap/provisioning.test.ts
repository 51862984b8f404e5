import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { bytes, toHex } from "@/lib/testing/bytes";
import {
  bootstrapPush,
  cpMac,
  decodeProvisioningDoc,
  dmAccountFromDoc,
  encodeProvisioningDoc,
  encodeProvisioningTree,
  imsiSemiOctets,
  provisioningDoc,
  provisioningDocXml,
  userPinMacCode,
  type DmAccount,
} from "./provisioning";
import { decodeWspPush } from "./wsp";

const account: DmAccount = {
  name: "DeployDesk",
  serverId: "deploydesk-dm",
  serverAddress: "https://console.example.com/dm",
  serverPassword: "srv-secret",
  serverNonce: "c2VydmVyLW5vbmNl",
  clientUsername: "device-0042",
  clientPassword: "cli-secret",
  clientNonce: "Y2xpZW50LW5vbmNl",
};

const hmac = (key: Buffer | string, data: Uint8Array) => createHmac("sha1", key).update(data).digest("hex").toUpperCase();

describe("provisioningDocXml", () => {
  it("writes the w7 bootstrap: BOOTSTRAP, APPLICATION with the client's and the server's APPAUTH", () => {
    expect(provisioningDocXml({ ...account, init: true })).toBe(
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE wap-provisioningdoc PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" "http://www.wapforum.org/DTD/prov.dtd">',
        '<wap-provisioningdoc version="1.1">',
        '  <characteristic type="BOOTSTRAP">',
        '    <parm name="NAME" value="DeployDesk"/>',
        "  </characteristic>",
        '  <characteristic type="APPLICATION">',
        '    <parm name="APPID" value="w7"/>',
        '    <parm name="PROVIDER-ID" value="deploydesk-dm"/>',
        '    <parm name="NAME" value="DeployDesk"/>',
        '    <parm name="ADDR" value="https://console.example.com/dm"/>',
        '    <parm name="INIT"/>',
        '    <characteristic type="APPAUTH">',
        '      <parm name="AAUTHLEVEL" value="APPSRV"/>',
        '      <parm name="AAUTHTYPE" value="DIGEST"/>',
        '      <parm name="AAUTHNAME" value="device-0042"/>',
        '      <parm name="AAUTHSECRET" value="cli-secret"/>',
        '      <parm name="AAUTHDATA" value="Y2xpZW50LW5vbmNl"/>',
        "    </characteristic>",
        '    <characteristic type="APPAUTH">',
        '      <parm name="AAUTHLEVEL" value="CLIENT"/>',
        '      <parm name="AAUTHTYPE" value="DIGEST"/>',
        '      <parm name="AAUTHNAME" value="deploydesk-dm"/>',
        '      <parm name="AAUTHSECRET" value="srv-secret"/>',
        '      <parm name="AAUTHDATA" value="c2VydmVyLW5vbmNl"/>',
        "    </characteristic>",
        "  </characteristic>",
        "</wap-provisioningdoc>",
      ].join("\n"),
    );
  });

  it("puts a port in APPADDR/PORT and escapes every value", () => {
    const xml = provisioningDocXml({ ...account, name: 'A & B "<x>"', port: 8443 });
    expect(xml).toContain('<parm name="NAME" value="A &amp; B &quot;&lt;x&gt;&quot;"/>');
    expect(xml).toContain(
      ['    <characteristic type="APPADDR">', '      <parm name="ADDR" value="https://console.example.com/dm"/>', '      <characteristic type="PORT">', '        <parm name="PORTNBR" value="8443"/>'].join("\n"),
    );
    expect(xml).not.toContain('<parm name="ADDR" value="https://console.example.com/dm"/>\n    <characteristic type="APPAUTH">');
  });

  it("refuses an account it cannot express, naming the fields", () => {
    const bad = (patch: Partial<DmAccount>) => {
      try {
        provisioningDoc({ ...account, ...patch });
      } catch (error) {
        return (error as AppError).details?.fields?.map((f) => f.field);
      }
      return [];
    };
    expect(bad({ serverAddress: "ftp://x/" })).toEqual(["serverAddress"]);
    expect(bad({ serverAddress: "https://x:8080/", port: 443 })).toEqual(["port"]);
    expect(bad({ port: 0 })).toEqual(["port"]);
    expect(bad({ serverNonce: "not base64!" })).toEqual(["serverNonce"]);
    expect(bad({ name: "", clientPassword: "a\nb" })).toEqual(["name", "clientPassword"]);
  });
});

describe("encodeProvisioningDoc", () => {
  it("writes WBXML 1.3, public id 0x0B, UTF-8, with the ProvCont code page 0 and 1 tokens", () => {
    const wbxml = encodeProvisioningDoc(account);
    const hex = toHex(wbxml);
    // Header, then <wap-provisioningdoc version="1.1"> (0xC5, version 0x45 + "1.1").
    expect(hex.startsWith(toHex(bytes(0x03, 0x0b, 0x6a, 0x00, 0xc5, 0x45, 0x03, "1.1", 0x00, 0x01)))).toBe(true);
    // <characteristic type="BOOTSTRAP"> is type=BOOTSTRAP (0x56, page 0); <parm name="NAME" value=…>.
    expect(hex).toContain(toHex(bytes(0xc6, 0x56, 0x01, 0x87, 0x07, 0x06, 0x03, "DeployDesk", 0x00, 0x01, 0x01)));
    // type=APPLICATION (page 1 0x55), name=APPID (page 1 0x36) "w7": one switch to page 1.
    expect(hex).toContain(toHex(bytes(0xc6, 0x00, 0x01, 0x55, 0x01, 0x87, 0x36, 0x06, 0x03, "w7", 0x00, 0x01)));
    // AAUTHLEVEL (0x30) value APPSRV (page-1 value 0x8D); AAUTHTYPE (0x33) value DIGEST (0x93, ProvCont 1.1 2005).
    expect(hex).toContain(toHex(bytes(0x87, 0x30, 0x06, 0x8d, 0x01)));
    expect(hex).toContain(toHex(bytes(0x87, 0x33, 0x06, 0x93, 0x01)));
    // CLIENT has no value token and stays inline.
    expect(hex).toContain(toHex(bytes(0x87, 0x30, 0x06, 0x03, "CLIENT", 0x00, 0x01)));
  });

  it("round-trips to the same DmAccount, with port, INIT, HMAC and non-ASCII names", () => {
    for (const a of [
      account,
      { ...account, port: 8443, init: true, authType: "HMAC" as const, name: "Grüße & <Ω>" },
      { ...account, serverNonce: undefined, clientNonce: undefined, authType: "BASIC" as const },
    ]) {
      const decoded = dmAccountFromDoc(decodeProvisioningDoc(encodeProvisioningDoc(a)));
      expect(decoded).toEqual({ ...a, authType: a.authType ?? "DIGEST" });
    }
  });

  it("decodes to the tree it was made from", () => {
    const doc = provisioningDoc({ ...account, port: 443, init: true });
    expect(decodeProvisioningDoc(encodeProvisioningTree(doc))).toEqual(doc);
  });

  it("tokenizes values only for parms with enumerated values (a NAME reading ALPHA stays text)", () => {
    const hex = toHex(encodeProvisioningDoc({ ...account, name: "ALPHA" }));
    expect(hex).toContain(toHex(bytes(0x07, 0x06, 0x03, "ALPHA", 0x00)));
    expect(hex).not.toContain("070688");
  });
});

describe("decodeProvisioningDoc", () => {
  it("reads Kannel's verbose form that switches pages around every page-1 token", () => {
    // <characteristic type="APPLICATION"><parm name="APPID" value="w7"/></characteristic>, Kannel style.
    const kannel = bytes(0x03, 0x0b, 0x6a, 0x00, 0x45, 0xc6, 0x00, 0x01, 0x55, 0x01, 0x87, 0x36, 0x00, 0x00, 0x06, 0x03, "w7", 0x00, 0x01, 0x01, 0x01);
    expect(decodeProvisioningDoc(kannel)).toEqual({ version: "", characteristics: [{ type: "APPLICATION", parms: { APPID: "w7" }, children: [] }] });
  });

  it("refuses other documents and a bootstrap without w7", () => {
    expect(() => decodeProvisioningDoc(bytes(0x03, 0x05, 0x6a, 0x00, 0x05))).toThrow(/not a provisioning|Not a provisioning/i);
    expect(() => dmAccountFromDoc({ version: "1.1", characteristics: [] })).toThrow(/w7/);
  });
});

describe("imsiSemiOctets", () => {
  it("encodes as TS 24.008 mobile identity: 262011234567890 → 29 26 10 21 43 65 87 09", () => {
    expect(toHex(imsiSemiOctets("262011234567890"))).toBe("2926102143658709");
  });

  it("marks an even digit count with 1 and pads the last octet with F", () => {
    expect(toHex(imsiSemiOctets("26201123456789"))).toBe("21261021436587f9");
    expect(toHex(imsiSemiOctets("123456"))).toBe("113254f6");
    expect(toHex(imsiSemiOctets("1234567"))).toBe("19325476");
  });

  it("refuses what is not an IMSI", () => {
    for (const bad of ["", "12345", "1234567890123456", "26201123456789x"]) expect(() => imsiSemiOctets(bad)).toThrow(/IMSI/);
  });
});

describe("cpMac and bootstrapPush", () => {
  const wbxml = encodeProvisioningDoc(account);

  it("USERPIN: HMAC-SHA1 keyed with the PIN's ASCII over the WBXML, 40 upper-case hex digits", () => {
    const mac = cpMac({ method: "USERPIN", pin: "1234" }, wbxml);
    expect(mac).toMatch(/^[0-9A-F]{40}$/);
    expect(mac).toBe(hmac("1234", wbxml));
  });

  it("NETWPIN keys with the IMSI semi-octets; USERNETWPIN with those and the PIN", () => {
    const imsiKey = Buffer.from([0x29, 0x26, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09]);
    expect(cpMac({ method: "NETWPIN", imsi: "262011234567890" }, wbxml)).toBe(hmac(imsiKey, wbxml));
    expect(cpMac({ method: "USERNETWPIN", imsi: "262011234567890", pin: "1234" }, wbxml)).toBe(hmac(Buffer.concat([imsiKey, Buffer.from("1234")]), wbxml));
  });

  it("USERPINMAC gives the user the PIN followed by digits of HMAC(PIN) mod 10", () => {
    const digest = createHmac("sha1", "12345").update(wbxml).digest();
    expect(userPinMacCode("12345", wbxml)).toBe("12345" + [0, 1, 2, 3, 4].map((i) => digest[i]! % 10).join(""));
    expect(() => userPinMacCode("1234", wbxml)).toThrow(/5–20 digits/);
  });

  it("builds UDH 06 05 04 0B 84 0B 84 and the WSP header of kannel.md §7 in front of the document", () => {
    const push = bootstrapPush(account, { method: "USERPIN", pin: "1234" });
    expect(toHex(push.udh)).toBe("0605040b840b84");
    expect(toHex(push.payload.subarray(0, 9))).toBe("01062f1f2db6918192");
    expect(Buffer.from(push.payload.subarray(9, 49)).toString("ascii")).toBe(push.mac);
    expect(push.payload[49]).toBe(0x00);
    expect(toHex(push.payload.subarray(50))).toBe(toHex(wbxml));
    const decoded = decodeWspPush(push.payload);
    expect(decoded.params).toEqual({ sec: 1, mac: hmac("1234", decoded.body) });
    expect(dmAccountFromDoc(decodeProvisioningDoc(decoded.body))).toEqual({ ...account, authType: "DIGEST" });
    expect(push.userCode).toBeUndefined();
  });

  it("sets SEC 0x80 + n for each method", () => {
    const sec = (push: { payload: Uint8Array }) => push.payload[7];
    expect(sec(bootstrapPush(account, { method: "NETWPIN", imsi: "262011234567890" }))).toBe(0x80);
    expect(sec(bootstrapPush(account, { method: "USERNETWPIN", imsi: "262011234567890", pin: "1" }))).toBe(0x82);
    const pinmac = bootstrapPush(account, { method: "USERPINMAC", pin: "98765" }, 9);
    expect(sec(pinmac)).toBe(0x83);
    expect(pinmac.payload[0]).toBe(9);
    expect(pinmac.userCode).toMatch(/^98765\d{5}$/);
    expect(() => bootstrapPush(account, { method: "USERPIN", pin: "" })).toThrow(/PIN/);
  });
});
