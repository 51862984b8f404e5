import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("CSV cells (RFC 4180)", () => {
  it.each([
    ["plain", "Package download successful", "Package download successful"],
    ["a comma", "Return code=0, retried", '"Return code=0, retried"'],
    ["quotes", 'the "default" build', '"the ""default"" build"'],
    ["a line break", "line one\nline two", '"line one\nline two"'],
    ["CRLF", "a\r\nb", '"a\r\nb"'],
    ["UTF-8 text as it is", "Gerät Zähler – ✓", "Gerät Zähler – ✓"],
    ["empty", "", ""],
  ])("%s", (_, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("writes null and undefined as empty cells, numbers as they print", () => {
    expect([csvCell(null), csvCell(undefined), csvCell(11032), csvCell(0)]).toEqual(["", "", "11032", "0"]);
  });

  it.each([
    ["=", "=HYPERLINK(\"http://evil\",\"x\")", `"'=HYPERLINK(""http://evil"",""x"")"`],
    ["+", "+49 151 1234567", "'+49 151 1234567"],
    ["-", "-2147024891", "'-2147024891"],
    ["@", "@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["a tab", "\t=1+1", "'\t=1+1"],
    ["a CR", "\r=1+1", `"'\r=1+1"`],
  ])("neutralises a cell starting with %s", (_, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("leaves those characters alone when they are not first", () => {
    expect(csvCell("a=b+c-d@e")).toBe("a=b+c-d@e");
  });

  it("ends each record with CRLF", () => {
    expect(csvLine(["a", null, "b,c", 5])).toBe('a,,"b,c",5\r\n');
  });
});
