import { describe, expect, it } from "vitest";
import { can, type Permission } from "./roles";

// What each role may do, resource by resource: the table the issue gives (Admin everything;
// Superuser devices, software, jobs and installs, not users or settings; Read-only reads).
const CASES: [Permission, admin: boolean, superuser: boolean, readonly: boolean][] = [
  [{ device: ["read"] }, true, true, true],
  [{ device: ["write"] }, true, true, false],
  [{ software: ["write"] }, true, true, false],
  [{ job: ["write"] }, true, true, false],
  [{ log: ["read"] }, true, true, true],
  [{ audit: ["read"] }, true, true, true],
  [{ settings: ["read"] }, true, true, true],
  [{ settings: ["write"] }, true, false, false],
  [{ apiToken: ["write"] }, true, false, false],
  [{ user: ["create"] }, true, false, false],
  [{ user: ["set-role"] }, true, false, false],
];

describe("roles", () => {
  it.each(CASES)("%o: admin %s, superuser %s, read-only %s", (permission, admin, superuser, readonly) => {
    expect([can("admin", permission), can("superuser", permission), can("readonly", permission)]).toEqual([admin, superuser, readonly]);
  });

  it("an unknown or missing role may do nothing", () => {
    expect(can("root", { device: ["read"] })).toBe(false);
    expect(can(null, { device: ["read"] })).toBe(false);
  });
});
