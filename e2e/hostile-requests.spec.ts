/**
 * Requests that used to crash the framework into a 500 get their 4xx from the front server,
 * and the server keeps serving.
 */
import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";

/** A raw request, so the target can be anything (`*`, unvalidated percent-encoding). */
function raw(baseURL: string, method: string, target: string): Promise<number> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

test("TRACE, a * target and malformed paths get a 4xx, never a 500", async ({ baseURL }) => {
  expect(await raw(baseURL!, "TRACE", "/api/dm")).toBe(405);
  expect(await raw(baseURL!, "OPTIONS", "*")).toBe(400);
  expect(await raw(baseURL!, "GET", "/devices/%00")).toBe(400);
  expect(await raw(baseURL!, "GET", "/devices/%C0%AF")).toBe(400);
  expect(await raw(baseURL!, "GET", "/api/dm")).toBe(405);
  expect(await raw(baseURL!, "GET", "/devices")).toBe(307); // to the sign-in page
  expect(await raw(baseURL!, "GET", "/login")).toBe(200);
});

test("the CE client's default server paths reach the device endpoint", async ({ baseURL }) => {
  for (const path of ["/devicemgmt/server.aspx", "/devicemgmt/server/aspx", "/DeviceMgmt/Server.aspx"]) {
    expect(await raw(baseURL!, "POST", path)).toBe(401);
  }
});
