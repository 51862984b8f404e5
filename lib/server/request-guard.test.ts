import { describe, expect, it } from "vitest";
import { refuseRequest } from "./request-guard";

describe("refuseRequest", () => {
  it.each([
    ["TRACE", "/api/dm", 405],
    ["track", "/", 405],
    ["CONNECT", "/", 405],
    ["OPTIONS", "*", 400],
    ["GET", "http://example.com/devices", 400],
    ["GET", "//evil/devices", 400],
    ["GET", "/devices/%00", 400],
    ["GET", "/devices/%C0%AF", 400],
    ["GET", "/devices/%E0%A4%A", 400],
    ["GET", "/devices/a%0Ab", 400],
  ])("%s %s -> %i", (method, target, status) => {
    expect(refuseRequest(method, target)?.status).toBe(status);
  });

  it.each([
    ["GET", "/devices"],
    ["GET", "/devices/43004500500043000000434550434B5335343934350000000000"],
    ["POST", "/api/dm"],
    ["GET", "/devices/%E2%82%AC?q=%00"],
    ["OPTIONS", "/api/dm"],
  ])("lets %s %s through", (method, target) => {
    expect(refuseRequest(method, target)).toBeNull();
  });
});
