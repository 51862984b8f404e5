import { describe, expect, it } from "vitest";
import { siXml } from "@/lib/delivery/wap/si";
import { AppError } from "@/lib/errors";
import { papOutcome, papPushRequest, parsePapResponse, parseResultNotification, resultNotificationResponse } from "./pap";

const si = siXml({ href: "http://example.com/app.apk", siId: "si-0001@console.example.com", action: "signal-high", text: "Install the app" });

describe("papPushRequest", () => {
  it("lays out the multipart/related request that Kannel's PPG accepted (kannel.md §6), CRLF-separated", () => {
    const { contentType, body } = papPushRequest({
      pushId: "push-0001@console.example.com",
      recipient: "+15551234567",
      content: { contentType: "text/vnd.wap.si", body: si },
      boundary: "kannelboundary42",
      ppgDomain: "ppg.example.com",
    });
    expect(contentType).toBe('multipart/related; boundary=kannelboundary42; type="application/xml"');
    expect(body.toString("utf8")).toBe(
      [
        "--kannelboundary42",
        "Content-Type: application/xml",
        "",
        [
          '<?xml version="1.0"?>',
          '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP//EN" "http://www.wapforum.org/DTD/pap_1.0.dtd">',
          "<pap>",
          '  <push-message push-id="push-0001@console.example.com">',
          '    <address address-value="WAPPUSH=+15551234567/TYPE=PLMN@ppg.example.com"/>',
          '    <quality-of-service delivery-method="unconfirmed" network="GSM" network-required="true" bearer="SMS" bearer-required="true"/>',
          "  </push-message>",
          "</pap>",
        ].join("\n"),
        "--kannelboundary42",
        "Content-Type: text/vnd.wap.si",
        "",
        si,
        "--kannelboundary42--",
        "",
      ].join("\r\n"),
    );
  });

  it("adds the delivery window and the notification address, escaped, and normalises the recipient", () => {
    const text = papPushRequest({
      pushId: "p&1",
      recipient: "+1 555-123-4567",
      content: { contentType: "text/vnd.wap.si", body: si },
      deliverAfter: new Date("2026-11-21T14:00:00.500Z"),
      deliverBeforeTimestamp: new Date("2026-11-22T14:00:00Z"),
      notifyRequestedTo: "http://127.0.0.1:3000/api/delivery/pap?t=a&b=1",
    }).body.toString("utf8");
    expect(text).toContain(
      '<push-message push-id="p&amp;1" deliver-before-timestamp="2026-11-22T14:00:00Z" deliver-after-timestamp="2026-11-21T14:00:00Z" ppg-notify-requested-to="http://127.0.0.1:3000/api/delivery/pap?t=a&amp;b=1">',
    );
    expect(text).toContain('address-value="WAPPUSH=+15551234567/TYPE=PLMN@ppg.localhost"');
    expect(text).toContain("--deploydesk-pap-boundary--\r\n");
  });

  it("picks another boundary when the content contains the default one", () => {
    const body = "<si><indication href=\"http://x.example/--deploydesk-pap-boundary\">x</indication></si>";
    const { contentType } = papPushRequest({ pushId: "p1", recipient: "+15551234567", content: { contentType: "text/vnd.wap.si", body } });
    expect(contentType).toContain("boundary=deploydesk-pap-boundary-1;");
  });

  it("refuses recipients Kannel would reject or choke on, and other bad input", () => {
    const push = (patch: object) => () => papPushRequest({ pushId: "p1", recipient: "+15551234567", content: { contentType: "text/vnd.wap.si", body: si }, ...patch });
    for (const recipient of ["15551234567", "WAPPUSH=+15551234567/TYPE=PLMN", "+1555", "+15551234567@ppg", "alice@example.com"]) {
      expect(push({ recipient })).toThrow(AppError);
    }
    expect(push({ pushId: "has space" })).toThrow(/push id/);
    expect(push({ ppgDomain: "ppg_example" })).toThrow(/PPG domain/);
    expect(push({ boundary: "with space" })).toThrow(/boundary/);
    expect(push({ boundary: "abc", content: { contentType: "text/vnd.wap.si", body: "<si>--abc</si>" } })).toThrow(/occurs in the content/);
    expect(push({ notifyRequestedTo: "mailto:x@y" })).toThrow(/http/);
    expect(push({ deliverAfter: new Date("2026-01-02"), deliverBeforeTimestamp: new Date("2026-01-01") })).toThrow(/before/);
    expect(push({ content: { contentType: "application/vnd.wap.connectivity-wbxml", body: "" } })).toThrow(/text\/vnd.wap.si/);
  });
});

describe("parsePapResponse", () => {
  it("reads Kannel's push-response, with its `code =\"1001\"`", () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 1.0//EN" "http://www.wapforum.org/DTD/pap_1.0.dtd"><pap><push-response push-id="push-0001@console.example.com" sender-name="vm; WAP/1.3 (Kannel/1.4.5)" reply-time="2026-11-21T14:12:28Z" sender-address="/wappush"><response-result code ="1001" desc="The request has been accepted for processing"></response-result></push-response></pap>';
    expect(parsePapResponse(xml)).toEqual({ kind: "push-response", pushId: "push-0001@console.example.com", code: 1001, desc: "The request has been accepted for processing" });
  });

  it("reads a badmessage-response and a 3006 push-response", () => {
    expect(parsePapResponse('<?xml version="1.0"?><pap><badmessage-response code="2000" desc="Not understood due to malformed syntax" bad-message-fragment="x"/></pap>')).toEqual({
      kind: "badmessage-response",
      code: 2000,
      desc: "Not understood due to malformed syntax",
    });
    expect(parsePapResponse('<pap><push-response push-id="p"><response-result code ="3006"/></push-response></pap>')).toEqual({ kind: "push-response", pushId: "p", code: 3006 });
  });

  it("refuses what is not a PAP answer, and DTD subsets", () => {
    expect(() => parsePapResponse("<html>502 Bad Gateway</html>")).toThrow(/no <pap> root/);
    expect(() => parsePapResponse("<pap><push-response")).toThrow(/not well-formed/);
    expect(() => parsePapResponse("<pap><cancel-response/></pap>")).toThrow(/Expected a push-response/);
    expect(() => parsePapResponse('<pap><push-response push-id="p"><response-result code="ok"/></push-response></pap>')).toThrow(/four-digit/);
    expect(() => parsePapResponse('<!DOCTYPE pap [<!ENTITY x "y">]><pap/>')).toThrow(/internal DTD subset/);
  });
});

describe("papOutcome", () => {
  it.each([
    [1000, "accepted"],
    [1001, "accepted"],
    [1999, "accepted"],
    [2000, "rejected"],
    [2002, "rejected"],
    [2007, "accepted"],
    [3000, "retry"],
    [3006, "rejected"],
    [3009, "retry"],
    [3010, "retry"],
    [3099, "retry"],
    [4001, "retry"],
    [5000, "rejected"],
    [0, "rejected"],
  ] as const)("%i is %s", (code, outcome) => {
    expect(papOutcome(code)).toBe(outcome);
  });
});

describe("result notifications", () => {
  it("reads a resultnotification-message", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd">
<pap>
  <resultnotification-message push-id="push-0001@console.example.com" sender-address="/wappush" received-time="2026-11-21T14:12:28Z" event-time="2026-11-21T14:12:30Z" message-state="delivered" code="1000" desc="OK">
    <address address-value="WAPPUSH=+15551234567/TYPE=PLMN@ppg.example.com"/>
  </resultnotification-message>
</pap>`;
    expect(parseResultNotification(xml)).toEqual({
      pushId: "push-0001@console.example.com",
      code: 1000,
      desc: "OK",
      messageState: "delivered",
      receivedAt: new Date("2026-11-21T14:12:28Z"),
      eventTime: new Date("2026-11-21T14:12:30Z"),
    });
  });

  it("reads unknown states as unknown and needs a push id", () => {
    expect(parseResultNotification('<pap><resultnotification-message push-id="p" message-state="teleported" code="5000"/></pap>')).toEqual({ pushId: "p", code: 5000, messageState: "unknown" });
    expect(parseResultNotification('<pap><resultnotification-message push-id="p" message-state="Expired" code="4000" event-time="garbage"/></pap>').messageState).toBe("expired");
    expect(() => parseResultNotification('<pap><resultnotification-message code="1000"/></pap>')).toThrow(/push-id/);
  });

  it("answers with a resultnotification-response that reads as PAP", () => {
    const xml = resultNotificationResponse('p"1');
    expect(xml).toContain('<resultnotification-response push-id="p&quot;1">');
    expect(xml).toContain('<response-result code="1000" desc="OK"/>');
    expect(resultNotificationResponse("p", 2004)).toContain('code="2004" desc="Push ID not found"');
    expect(() => resultNotificationResponse("p", 42)).toThrow(/four digits/);
  });
});
