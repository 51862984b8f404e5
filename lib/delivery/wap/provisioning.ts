/**
 * The OMA DM bootstrap as OMA Client Provisioning content: a wap-provisioningdoc
 * (OMA-WAP-TS-ProvCont-V1_1) with an APPLICATION characteristic of APPID w7 (the DM
 * registration, OMA-SUP-ac_w7_dm-V1_0), compiled to WBXML and signed as OMA-WAP-TS-ProvBoot-V1_1
 * §5.3 says, then wrapped in a WSP push for the sendsms route (kannel.md §7). Pure; the
 * HMAC is node:crypto computation, nothing else.
 */
import { createHmac } from "node:crypto";
import { escapeAttribute } from "@/lib/device-protocol/xml-build";
import { AppError } from "@/lib/errors";
import {
  attributeStartToken,
  attributeValueToken,
  CHARSET_UTF8,
  readWbxml,
  WbxmlWriter,
  type AttributeStartEntry,
  type AttributeValueEntry,
  type WbxmlElement,
  type WbxmlLanguage,
} from "./wbxml";
import { CP_PUSH_UDH, wspPush } from "./wsp";

/** "-//WAPFORUM//DTD PROV 1.0//EN": ProvCont 1.1 kept the 1.0 public id (ProvCont §7). */
export const PROV_PUBLIC_ID = 0x0b;
const PROV_WBXML_VERSION = 0x03;

/** How the client authenticates (AAUTHTYPE values of the w7 registration). */
export type DmAuthType = "BASIC" | "DIGEST" | "HMAC";

export type DmAccount = {
  /** Shown on the device: BOOTSTRAP NAME and APPLICATION NAME. */
  name: string;
  /** The DM server's id: PROVIDER-ID, and the name the server authenticates with (AAUTHLEVEL CLIENT). */
  serverId: string;
  /** URL of the OMA DM server (ADDR). */
  serverAddress: string;
  /** When given, the address goes in APPADDR with PORT/PORTNBR. */
  port?: number;
  /** AAUTHLEVEL CLIENT: what the server proves itself to the device with. */
  serverPassword: string;
  /** AAUTHLEVEL CLIENT AAUTHDATA, base64 as the document carries it. */
  serverNonce?: string;
  /** AAUTHLEVEL APPSRV: what the device authenticates to the server with. */
  clientUsername: string;
  clientPassword: string;
  /** AAUTHLEVEL APPSRV AAUTHDATA, base64. */
  clientNonce?: string;
  /** AAUTHTYPE at both levels; DIGEST when absent (DM 1.2's default for HTTP). */
  authType?: DmAuthType;
  /** INIT: ask the device to open a management session right after accepting. */
  init?: boolean;
};

/** A decoded document: characteristics with their parms (valueless parms such as INIT read as ""). */
export type Characteristic = { type: string; parms: Record<string, string>; children: Characteristic[] };
export type ProvisioningDoc = { version: string; characteristics: Characteristic[] };

// ProvCont 1.1 §7.1 (tags), §7.2 (attribute start tokens), §7.3 (attribute value tokens); code
// page 1 holds the APPLICATION parts. Cross-checked against Kannel's ota_compiler.c and
// libwbxml's wbxml_tables.c. The page-1 AAUTHTYPE values are 0x90–0x93 as in the 2005
// revision of the spec: the 2002 text gave 0x80–0x83, which collide with the global
// EXT_T_0..STR_T tokens, and Kannel and libwbxml both use 0x90–0x93.
const PAGE0_NAMES = [
  [0x07, "NAME"], [0x08, "NAP-ADDRESS"], [0x09, "NAP-ADDRTYPE"], [0x0a, "CALLTYPE"], [0x0b, "VALIDUNTIL"], [0x0c, "AUTHTYPE"],
  [0x0d, "AUTHNAME"], [0x0e, "AUTHSECRET"], [0x0f, "LINGER"], [0x10, "BEARER"], [0x11, "NAPID"], [0x12, "COUNTRY"], [0x13, "NETWORK"],
  [0x14, "INTERNET"], [0x15, "PROXY-ID"], [0x16, "PROXY-PROVIDER-ID"], [0x17, "DOMAIN"], [0x18, "PROVURL"], [0x19, "PXAUTH-TYPE"],
  [0x1a, "PXAUTH-ID"], [0x1b, "PXAUTH-PW"], [0x1c, "STARTPAGE"], [0x1d, "BASAUTH-ID"], [0x1e, "BASAUTH-PW"], [0x1f, "PUSHENABLED"],
  [0x20, "PXADDR"], [0x21, "PXADDRTYPE"], [0x22, "TO-NAPID"], [0x23, "PORTNBR"], [0x24, "SERVICE"], [0x25, "LINKSPEED"],
  [0x26, "DNLINKSPEED"], [0x27, "LOCAL-ADDR"], [0x28, "LOCAL-ADDRTYPE"], [0x29, "CONTEXT-ALLOW"], [0x2a, "TRUST"], [0x2b, "MASTER"],
  [0x2c, "SID"], [0x2d, "SOC"], [0x2e, "WSP-VERSION"], [0x2f, "PHYSICAL-PROXY-ID"], [0x30, "CLIENT-ID"], [0x31, "DELIVERY-ERR-SDU"],
  [0x32, "DELIVERY-ORDER"], [0x33, "TRAFFIC-CLASS"], [0x34, "MAX-SDU-SIZE"], [0x35, "MAX-BITRATE-UPLINK"], [0x36, "MAX-BITRATE-DNLINK"],
  [0x37, "RESIDUAL-BER"], [0x38, "SDU-ERROR-RATIO"], [0x39, "TRAFFIC-HANDL-PRIO"], [0x3a, "TRANSFER-DELAY"],
  [0x3b, "GUARANTEED-BITRATE-UPLINK"], [0x3c, "GUARANTEED-BITRATE-DNLINK"], [0x3d, "PXADDR-FQDN"], [0x3e, "PROXY-PW"],
  [0x3f, "PPGAUTH-TYPE"], [0x47, "PULLENABLED"], [0x48, "DNS-ADDR"], [0x49, "MAX-NUM-RETRY"], [0x4a, "FIRST-RETRY-TIMEOUT"],
  [0x4b, "REREG-THRESHOLD"], [0x4c, "T-BIT"], [0x4e, "AUTH-ENTITY"], [0x4f, "SPI"],
] as const;
const PAGE0_TYPES = [
  [0x51, "PXLOGICAL"], [0x52, "PXPHYSICAL"], [0x53, "PORT"], [0x54, "VALIDITY"], [0x55, "NAPDEF"], [0x56, "BOOTSTRAP"],
  [0x57, "VENDORCONFIG"], [0x58, "CLIENTIDENTITY"], [0x59, "PXAUTHINFO"], [0x5a, "NAPAUTHINFO"], [0x5b, "ACCESS"],
] as const;
const PAGE1_NAMES = [
  [0x07, "NAME"], [0x14, "INTERNET"], [0x1c, "STARTPAGE"], [0x22, "TO-NAPID"], [0x23, "PORTNBR"], [0x24, "SERVICE"],
  [0x2e, "AACCEPT"], [0x2f, "AAUTHDATA"], [0x30, "AAUTHLEVEL"], [0x31, "AAUTHNAME"], [0x32, "AAUTHSECRET"], [0x33, "AAUTHTYPE"],
  [0x34, "ADDR"], [0x35, "ADDRTYPE"], [0x36, "APPID"], [0x37, "APROTOCOL"], [0x38, "PROVIDER-ID"], [0x39, "TO-PROXY"], [0x3a, "URI"],
  [0x3b, "RULE"],
] as const;
const PAGE1_TYPES = [[0x53, "PORT"], [0x55, "APPLICATION"], [0x56, "APPADDR"], [0x57, "APPAUTH"], [0x58, "CLIENTIDENTITY"], [0x59, "RESOURCE"]] as const;
const PAGE0_VALUES = [
  [0x85, "IPV4"], [0x86, "IPV6"], [0x87, "E164"], [0x88, "ALPHA"], [0x89, "APN"], [0x8a, "SCODE"], [0x8b, "TETRA-ITSI"], [0x8c, "MAN"],
  [0x90, "ANALOG-MODEM"], [0x91, "V.120"], [0x92, "V.110"], [0x93, "X.31"], [0x94, "BIT-TRANSPARENT"],
  [0x95, "DIRECT-ASYNCHRONOUS-DATA-SERVICE"], [0x9a, "PAP"], [0x9b, "CHAP"], [0x9c, "HTTP-BASIC"], [0x9d, "HTTP-DIGEST"],
  [0x9e, "WTLS-SS"], [0x9f, "MD5"], [0xa2, "GSM-USSD"], [0xa3, "GSM-SMS"], [0xa4, "ANSI-136-GUTS"], [0xa5, "IS-95-CDMA-SMS"],
  [0xa6, "IS-95-CDMA-CSD"], [0xa7, "IS-95-CDMA-PACKET"], [0xa8, "ANSI-136-CSD"], [0xa9, "ANSI-136-GPRS"], [0xaa, "GSM-CSD"],
  [0xab, "GSM-GPRS"], [0xac, "AMPS-CDPD"], [0xad, "PDC-CSD"], [0xae, "PDC-PACKET"], [0xaf, "IDEN-SMS"], [0xb0, "IDEN-CSD"],
  [0xb1, "IDEN-PACKET"], [0xb2, "FLEX/REFLEX"], [0xb3, "PHS-SMS"], [0xb4, "PHS-CSD"], [0xb5, "TETRA-SDS"], [0xb6, "TETRA-PACKET"],
  [0xb7, "ANSI-136-GHOST"], [0xb8, "MOBITEX-MPAK"], [0xb9, "CDMA2000-1X-SIMPLE-IP"], [0xba, "CDMA2000-1X-MOBILE-IP"],
  [0xc5, "AUTOBAUDING"], [0xca, "CL-WSP"], [0xcb, "CO-WSP"], [0xcc, "CL-SEC-WSP"], [0xcd, "CO-SEC-WSP"], [0xce, "CL-SEC-WTA"],
  [0xcf, "CO-SEC-WTA"], [0xd0, "OTA-HTTP-TO"], [0xd1, "OTA-HTTP-TLS-TO"], [0xd2, "OTA-HTTP-PO"], [0xd3, "OTA-HTTP-TLS-PO"],
  [0xe0, "AAA"], [0xe1, "HA"],
] as const;
const PAGE1_VALUES = [[0x86, "IPV6"], [0x87, "E164"], [0x88, "ALPHA"], [0x8d, "APPSRV"], [0x8e, "OBEX"], [0x90, ","], [0x91, "HTTP-"], [0x92, "BASIC"], [0x93, "DIGEST"]] as const;

const starts = (page: number, name: string, entries: readonly (readonly [number, string])[]): AttributeStartEntry[] =>
  entries.map(([code, prefix]) => ({ name, prefix, page, code }));
const values = (page: number, entries: readonly (readonly [number, string])[]): AttributeValueEntry[] => entries.map(([code, value]) => ({ value, page, code }));

export const PROV_LANGUAGE: WbxmlLanguage = {
  name: "PROV 1.1",
  publicId: PROV_PUBLIC_ID,
  tags: [
    { name: "wap-provisioningdoc", page: 0, code: 0x05 },
    { name: "characteristic", page: 0, code: 0x06 },
    { name: "parm", page: 0, code: 0x07 },
    { name: "characteristic", page: 1, code: 0x06 },
    { name: "parm", page: 1, code: 0x07 },
  ],
  attributeStarts: [
    ...[0, 1].flatMap((page) => [
      { name: "name", page, code: 0x05 },
      { name: "value", page, code: 0x06 },
      { name: "type", page, code: 0x50 },
    ]),
    { name: "version", page: 0, code: 0x45 },
    { name: "version", prefix: "1.0", page: 0, code: 0x46 },
    ...starts(0, "name", PAGE0_NAMES),
    ...starts(0, "type", PAGE0_TYPES),
    ...starts(1, "name", PAGE1_NAMES),
    ...starts(1, "type", PAGE1_TYPES),
  ],
  attributeValues: [...values(0, PAGE0_VALUES), ...values(1, PAGE1_VALUES)],
};

/**
 * Parms whose values the spec enumerates, and so the only ones whose values we tokenize (a
 * NAME that happens to read "ALPHA" stays text; Kannel tokenizes every value, which is valid
 * WBXML but not what a strict client expects).
 */
const ENUMERATED_PARMS = new Set([
  "ADDRTYPE", "AAUTHLEVEL", "AAUTHTYPE", "AUTHTYPE", "PXAUTH-TYPE", "BEARER", "CALLTYPE", "LINKSPEED", "SERVICE",
  "NAP-ADDRTYPE", "PXADDRTYPE", "LOCAL-ADDRTYPE", "AUTH-ENTITY",
]);

/** The document a bootstrap consists of, before it is written as XML or WBXML. */
export function provisioningDoc(account: DmAccount): ProvisioningDoc {
  checkAccount(account);
  const authType = account.authType ?? "DIGEST";
  const appauth = (level: "APPSRV" | "CLIENT", name: string, secret: string, nonce: string | undefined): Characteristic => ({
    type: "APPAUTH",
    parms: { AAUTHLEVEL: level, AAUTHTYPE: authType, AAUTHNAME: name, AAUTHSECRET: secret, ...(nonce !== undefined ? { AAUTHDATA: nonce } : {}) },
    children: [],
  });
  const addressParms: Record<string, string> = account.port === undefined ? { ADDR: account.serverAddress } : {};
  const addressChildren: Characteristic[] =
    account.port === undefined
      ? []
      : [{ type: "APPADDR", parms: { ADDR: account.serverAddress }, children: [{ type: "PORT", parms: { PORTNBR: String(account.port) }, children: [] }] }];
  return {
    version: "1.1",
    characteristics: [
      { type: "BOOTSTRAP", parms: { NAME: account.name }, children: [] },
      {
        type: "APPLICATION",
        parms: { APPID: "w7", "PROVIDER-ID": account.serverId, NAME: account.name, ...addressParms, ...(account.init ? { INIT: "" } : {}) },
        children: [
          ...addressChildren,
          // APPSRV: the credentials the client presents to the server; CLIENT: those the server presents to the client.
          appauth("APPSRV", account.clientUsername, account.clientPassword, account.clientNonce),
          appauth("CLIENT", account.serverId, account.serverPassword, account.serverNonce),
        ],
      },
    ],
  };
}

/** The textual document (text/vnd.wap.connectivity-xml), for display and Kannel's sendota. */
export function provisioningDocXml(account: DmAccount): string {
  const doc = provisioningDoc(account);
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE wap-provisioningdoc PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" "http://www.wapforum.org/DTD/prov.dtd">',
    `<wap-provisioningdoc version="${escapeAttribute(doc.version)}">`,
  ];
  const write = (c: Characteristic, indent: string) => {
    lines.push(`${indent}<characteristic type="${escapeAttribute(c.type)}">`);
    for (const [name, value] of Object.entries(c.parms)) {
      lines.push(`${indent}  <parm name="${escapeAttribute(name)}"${value === "" ? "" : ` value="${escapeAttribute(value)}"`}/>`);
    }
    for (const child of c.children) write(child, `${indent}  `);
    lines.push(`${indent}</characteristic>`);
  };
  for (const c of doc.characteristics) write(c, "  ");
  lines.push("</wap-provisioningdoc>");
  return lines.join("\n");
}

/** The compiled document (application/vnd.wap.connectivity-wbxml), the bytes the MAC covers. */
export function encodeProvisioningDoc(account: DmAccount): Uint8Array {
  return encodeProvisioningTree(provisioningDoc(account));
}

/** Any provisioning tree as WBXML 1.3, UTF-8, with the fewest code page switches. */
export function encodeProvisioningTree(doc: ProvisioningDoc): Uint8Array {
  const w = new WbxmlWriter({ version: PROV_WBXML_VERSION, publicId: PROV_PUBLIC_ID, charset: CHARSET_UTF8 });
  // Tag tokens are the same on both pages, so the tag page stays 0; the attribute page follows the tokens.
  let page = 0;
  /** Writes the attribute start, a name=value token when there is one; true when the value must follow inline. */
  const start = (name: string, whole?: string): boolean => {
    const exact = whole !== undefined ? attributeStartToken(PROV_LANGUAGE, name, whole, page) : undefined;
    const token = exact ?? attributeStartToken(PROV_LANGUAGE, name, undefined, page)!;
    w.attributeStart(token);
    page = token.page;
    return exact === undefined;
  };
  w.startElement({ page: 0, code: 0x05 }, { attributes: true, content: doc.characteristics.length > 0 });
  if (start("version", doc.version)) w.inlineString(doc.version);
  w.end();
  const write = (c: Characteristic) => {
    const parms = Object.entries(c.parms);
    w.startElement({ page: 0, code: 0x06 }, { attributes: true, content: parms.length + c.children.length > 0 });
    if (start("type", c.type)) w.inlineString(c.type);
    w.end();
    for (const [name, value] of parms) {
      w.startElement({ page: 0, code: 0x07 }, { attributes: true, content: false });
      if (start("name", name)) w.inlineString(name);
      if (value !== "") {
        const valueToken = ENUMERATED_PARMS.has(name) ? attributeValueToken(PROV_LANGUAGE, value, page) : undefined;
        if (valueToken) {
          // The value token decides the page; "value" itself is 0x06 on both.
          page = valueToken.page;
          w.attributeStart({ page, code: 0x06 }).attributeValue(valueToken);
        } else {
          start("value");
          w.inlineString(value);
        }
      }
      w.end();
    }
    for (const child of c.children) write(child);
    if (parms.length + c.children.length > 0) w.end();
  };
  for (const c of doc.characteristics) write(c);
  if (doc.characteristics.length > 0) w.end();
  return w.bytes();
}

/** Reads compiled provisioning content back into its tree (tests, the development outbox). */
export function decodeProvisioningDoc(bytes: Uint8Array): ProvisioningDoc {
  const doc = readWbxml(bytes, PROV_LANGUAGE);
  if (doc.publicId !== PROV_PUBLIC_ID && doc.publicId !== "-//WAPFORUM//DTD PROV 1.0//EN") {
    throw new AppError("INVALID_MESSAGE", `Not a provisioning document (public id ${String(doc.publicId)}).`);
  }
  if (doc.root.tag !== "wap-provisioningdoc") throw new AppError("INVALID_MESSAGE", `The root is <${doc.root.tag}>, not <wap-provisioningdoc>.`);
  return { version: doc.root.attributes.version ?? "", characteristics: doc.root.children.map(characteristicOf) };
}

function characteristicOf(e: WbxmlElement): Characteristic {
  if (e.tag !== "characteristic" || e.attributes.type === undefined) throw new AppError("INVALID_MESSAGE", `Expected a typed <characteristic>, got <${e.tag}>.`);
  const c: Characteristic = { type: e.attributes.type, parms: {}, children: [] };
  for (const child of e.children) {
    if (child.tag === "parm") {
      if (child.attributes.name === undefined) throw new AppError("INVALID_MESSAGE", `A <parm> in ${c.type} has no name.`);
      c.parms[child.attributes.name] = child.attributes.value ?? "";
    } else {
      c.children.push(characteristicOf(child));
    }
  }
  return c;
}

/** The DM account a bootstrap carries: the inverse of provisioningDoc. */
export function dmAccountFromDoc(doc: ProvisioningDoc): DmAccount {
  const app = doc.characteristics.find((c) => c.type === "APPLICATION" && c.parms.APPID === "w7");
  if (!app) throw new AppError("INVALID_MESSAGE", "The document has no APPLICATION with APPID w7.");
  const appaddr = app.children.find((c) => c.type === "APPADDR");
  const auth = (level: string) => app.children.find((c) => c.type === "APPAUTH" && c.parms.AAUTHLEVEL === level)?.parms;
  const server = auth("CLIENT");
  const client = auth("APPSRV");
  const serverAddress = app.parms.ADDR ?? appaddr?.parms.ADDR;
  if (serverAddress === undefined || !server || !client) throw new AppError("INVALID_MESSAGE", "The w7 application lacks ADDR or an APPAUTH for APPSRV and CLIENT.");
  const portText = appaddr?.children.find((c) => c.type === "PORT")?.parms.PORTNBR;
  const account: DmAccount = {
    name: app.parms.NAME ?? doc.characteristics.find((c) => c.type === "BOOTSTRAP")?.parms.NAME ?? "",
    serverId: app.parms["PROVIDER-ID"] ?? server.AAUTHNAME ?? "",
    serverAddress,
    serverPassword: server.AAUTHSECRET ?? "",
    clientUsername: client.AAUTHNAME ?? "",
    clientPassword: client.AAUTHSECRET ?? "",
  };
  if (portText !== undefined) account.port = Number(portText);
  if (server.AAUTHDATA !== undefined) account.serverNonce = server.AAUTHDATA;
  if (client.AAUTHDATA !== undefined) account.clientNonce = client.AAUTHDATA;
  const authType = client.AAUTHTYPE ?? server.AAUTHTYPE;
  if (authType === "BASIC" || authType === "DIGEST" || authType === "HMAC") account.authType = authType;
  if ("INIT" in app.parms) account.init = true;
  return account;
}

function checkAccount(a: DmAccount): void {
  const fields: { field: string; message: string }[] = [];
  const text = (field: keyof DmAccount, value: string | undefined, required: boolean) => {
    if (value === undefined || value === "") {
      if (required) fields.push({ field, message: `The DM account's ${field} is required.` });
    } else if (/[\u0000-\u001f\u007f]/.test(value)) {
      fields.push({ field, message: `The DM account's ${field} contains a control character.` });
    }
  };
  text("name", a.name, true);
  text("serverId", a.serverId, true);
  text("serverPassword", a.serverPassword, true);
  text("clientUsername", a.clientUsername, true);
  text("clientPassword", a.clientPassword, true);
  let url: URL | null = null;
  try {
    url = new URL(a.serverAddress);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || /\s/.test(a.serverAddress)) {
    fields.push({ field: "serverAddress", message: "The DM server address must be an http:// or https:// URL." });
  } else if (a.port !== undefined && url.port !== "" && Number(url.port) !== a.port) {
    fields.push({ field: "port", message: `The port ${a.port} contradicts the one in the server address (${url.port}).` });
  }
  if (a.port !== undefined && (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535)) fields.push({ field: "port", message: "The port must be 1–65535." });
  for (const field of ["serverNonce", "clientNonce"] as const) {
    const nonce = a[field];
    // w7: AAUTHDATA is the nonce's bytes in base64.
    if (nonce !== undefined && (nonce.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(nonce))) {
      fields.push({ field, message: `The ${field} must be base64 (the document carries the nonce's bytes that way).` });
    }
  }
  if (a.authType !== undefined && !["BASIC", "DIGEST", "HMAC"].includes(a.authType)) fields.push({ field: "authType", message: "AAUTHTYPE must be BASIC, DIGEST or HMAC." });
  if (fields.length > 0) throw new AppError("VALIDATION_FAILED", fields.map((f) => f.message).join(" "), { fields });
}

/** ProvBoot §5.3: who knows the key decides the method. */
export type CpSecurity =
  | { method: "NETWPIN"; imsi: string }
  | { method: "USERPIN"; pin: string }
  | { method: "USERNETWPIN"; imsi: string; pin: string }
  | { method: "USERPINMAC"; pin: string };

/** The SEC parameter's values (ProvBoot §5.4, WSP's SEC well-known parameter). */
export const SEC_VALUES = { NETWPIN: 0, USERPIN: 1, USERNETWPIN: 2, USERPINMAC: 3 } as const satisfies Record<CpSecurity["method"], number>;

/**
 * The IMSI as the SIM stores it (3GPP TS 24.008 §10.5.1.4 mobile identity, without IEI and
 * length): first octet = digit 1 in the high nibble, odd/even flag (8 = odd) and type 1
 * (IMSI) in the low nibble; then two digits per octet, low nibble first; an even count pads
 * the last high nibble with F. 262011234567890 → 29 26 10 21 43 65 87 09.
 */
export function imsiSemiOctets(imsi: string): Uint8Array {
  if (!/^\d{6,15}$/.test(imsi)) throw invalidSecurity("imsi", "The IMSI must be 6–15 digits.");
  const digits = Array.from(imsi, Number);
  const odd = digits.length % 2 === 1;
  const octets = [(digits[0]! << 4) | (odd ? 0x08 : 0x00) | 0x01];
  for (let i = 1; i < digits.length; i += 2) octets.push(((digits[i + 1] ?? 0x0f) << 4) | digits[i]!);
  return Uint8Array.from(octets);
}

function securityKey(security: CpSecurity): Buffer {
  switch (security.method) {
    case "NETWPIN":
      return Buffer.from(imsiSemiOctets(security.imsi));
    case "USERPIN":
      return Buffer.from(checkPin(security.pin), "ascii");
    case "USERNETWPIN":
      return Buffer.concat([imsiSemiOctets(security.imsi), Buffer.from(checkPin(security.pin), "ascii")]);
    case "USERPINMAC":
      return Buffer.from(checkUserPinMacPin(security.pin), "ascii");
  }
}

function checkPin(pin: string): string {
  if (!/^[\x20-\x7e]{1,64}$/.test(pin)) throw invalidSecurity("pin", "The PIN must be 1–64 printable ASCII characters (its ASCII bytes are the key).");
  return pin;
}

function checkUserPinMacPin(pin: string): string {
  // The device splits what the user types in half; HMAC-SHA1 gives 20 octets, one digit each.
  if (!/^\d{5,20}$/.test(pin)) throw invalidSecurity("pin", "A USERPINMAC PIN must be 5–20 digits.");
  return pin;
}

function invalidSecurity(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", message, { fields: [{ field, message }] });
}

/**
 * HMAC-SHA1 over the compiled document (ProvBoot §5.3), as 40 upper-case hex digits for the
 * MAC parameter. NETWPIN keys with the IMSI's semi-octets, USERPIN with the PIN's ASCII,
 * USERNETWPIN with both concatenated; USERPINMAC signs with the PIN as Kannel's sendota does
 * (the device checks the digits of userPinMacCode instead).
 */
export function cpMac(security: CpSecurity, wbxml: Uint8Array): string {
  return createHmac("sha1", securityKey(security)).update(wbxml).digest("hex").toUpperCase();
}

/**
 * USERPINMAC: what the user types is the PIN followed by as many digits derived from the
 * MAC, digit i = octet i of HMAC-SHA1(PIN, document) mod 10 (ProvBoot §5.3; the same rule
 * Android's CP verifier applies). Not checked on a device.
 */
export function userPinMacCode(pin: string, wbxml: Uint8Array): string {
  const digest = createHmac("sha1", Buffer.from(checkUserPinMacPin(pin), "ascii")).update(wbxml).digest();
  return pin + Array.from(digest.subarray(0, pin.length), (b) => String(b % 10)).join("");
}

export type BootstrapPush = {
  udh: Uint8Array;
  /** WSP push PDU followed by the WBXML document: the sendsms `text` with coding=1. */
  payload: Uint8Array;
  mac: string;
  /** USERPINMAC only: the code to give the user. */
  userCode?: string;
};

/** The whole CP bootstrap for the sendsms route (kannel.md §7, raw route). */
export function bootstrapPush(account: DmAccount, security: CpSecurity, tid?: number): BootstrapPush {
  const wbxml = encodeProvisioningDoc(account);
  const mac = cpMac(security, wbxml);
  const payload = wspPush({
    tid,
    contentType: "application/vnd.wap.connectivity-wbxml",
    contentTypeParams: { sec: SEC_VALUES[security.method], mac },
    body: wbxml,
  });
  return {
    udh: CP_PUSH_UDH,
    payload,
    mac,
    ...(security.method === "USERPINMAC" ? { userCode: userPinMacCode(security.pin, wbxml) } : {}),
  };
}
