import { describe, expect, it } from "vitest";
import { contentDisposition } from "./content-disposition";

describe("contentDisposition", () => {
  it.each([
    ["setup.cab", `attachment; filename="setup.cab"; filename*=UTF-8''setup.cab`],
    ["日本.cab", `attachment; filename="__.cab"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.cab`],
    ['a"b\\c\r\nSet-Cookie: x', `attachment; filename="a_b_cSet-Cookie: x"; filename*=UTF-8''a%22b%5CcSet-Cookie%3A%20x`],
    ["\u0001", `attachment; filename="download"; filename*=UTF-8''download`],
  ])("%j", (name, header) => {
    expect(contentDisposition(name)).toBe(header);
    // Every byte a header may hold.
    expect(/^[\x20-\x7e]*$/.test(contentDisposition(name))).toBe(true);
  });
});
