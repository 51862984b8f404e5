import { describe, expect, it } from "vitest";
import { deliveryConfig, redactGatewayUrl } from "./delivery-config";

describe("deliveryConfig", () => {
  it("is the development outbox with 4 workers when nothing is set", () => {
    expect(deliveryConfig({})).toEqual({ sendsmsUrl: null, ppgUrl: null, sender: null, workers: 4 });
  });
  it("takes the Kannel URLs, the sender and the worker count", () => {
    const config = deliveryConfig({
      DEPLOYDESK_KANNEL_SENDSMS_URL: "http://127.0.0.1:13013/cgi-bin/sendsms?username=u&password=p",
      DEPLOYDESK_KANNEL_PPG_URL: " http://127.0.0.1:13080/wappush?username=pu&password=pp ",
      DEPLOYDESK_SMS_SENDER: "DeployDesk",
      DEPLOYDESK_OUTBOX_WORKERS: "0",
    });
    expect(config).toMatchObject({ sender: "DeployDesk", workers: 0 });
    expect(config.ppgUrl).toBe("http://127.0.0.1:13080/wappush?username=pu&password=pp");
  });
  it("refuses what cannot work, naming the variable", () => {
    expect(() => deliveryConfig({ DEPLOYDESK_KANNEL_SENDSMS_URL: "127.0.0.1:13013" })).toThrow(/DEPLOYDESK_KANNEL_SENDSMS_URL/);
    expect(() => deliveryConfig({ DEPLOYDESK_KANNEL_PPG_URL: "ftp://gateway/" })).toThrow(/http\(s\)/);
    expect(() => deliveryConfig({ DEPLOYDESK_OUTBOX_WORKERS: "two" })).toThrow(/DEPLOYDESK_OUTBOX_WORKERS/);
    expect(() => deliveryConfig({ DEPLOYDESK_SMS_SENDER: "a sender name that is far too long" })).toThrow(/DEPLOYDESK_SMS_SENDER/);
  });
  it("hides passwords when a URL is shown", () => {
    expect(redactGatewayUrl("http://u:secret@gw/cgi-bin/sendsms?username=u&password=p")).toBe("http://u:***@gw/cgi-bin/sendsms?username=u&password=***");
  });
});
