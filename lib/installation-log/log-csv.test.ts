import { describe, expect, it } from "vitest";
import { describeStoredEntry, eventTexts } from "./entries";
import type { LogExportRow } from "./list-log";
import { LOG_CSV_COLUMNS, logCsvRecord } from "./log-csv";

const row: LogExportRow = {
  id: "42",
  received_at: "2026-12-01T18:00:00.123Z",
  device_uuid: "ABC",
  device_name: '=HYPERLINK("x"), "B"',
  job_id: 7,
  software: "Route planner 4.2",
  package_id: "B3A1C2D4",
  message_id: "11032",
  code: "STATUS_REPORT",
  data: "{}",
  parameters: "Return code=0x80072EE7; Detail=a,b",
  status_before: "INSTALLING_SOFTWARE",
  status_after: "INSTALLATION_FAILED",
  device_timestamp: null,
};

describe("logCsvRecord", () => {
  it("writes the columns in LOG_CSV_COLUMNS' order, quoted where needed, formulas neutralised, null as empty", () => {
    const line = logCsvRecord({ ...row, job_id: null, software: null }, "Package download unsuccessful");
    expect(line.endsWith("\r\n")).toBe(true);
    expect(line).toBe(
      `2026-12-01T18:00:00.123Z,ABC,"'=HYPERLINK(""x""), ""B""",,,B3A1C2D4,11032,Package download unsuccessful,"Return code=0x80072EE7; Detail=a,b",Installing software,Installation failed,,42\r\n`,
    );
    expect(LOG_CSV_COLUMNS).toHaveLength(13);
  });
});

describe("eventTexts", () => {
  it("gives describeStoredEntry's text for every fact it depends on, remembered per export", () => {
    const text = eventTexts();
    const verified = { ...row, code: "CLIENT_VERSION_REPORTED", data: '{"version": "2.1", "jobVersion": "2.1"}', message_id: null, status_before: "INSTALLED_WAITING_FOR_VERIFICATION", status_after: "INSTALLED_VERIFIED" } as const;
    const unchanged = { ...verified, status_before: "INSTALLED_VERIFIED" } as const;
    for (const r of [row, verified, unchanged, { ...row, message_id: "11030" }, { ...row, data: '{"note": "NO_JOB"}' }]) {
      const expected = describeStoredEntry(r.code, JSON.parse(r.data), { messageId: r.message_id, statusBefore: r.status_before, statusAfter: r.status_after });
      expect(text(r)).toBe(expected);
      expect(text(r)).toBe(expected);
    }
    expect(text(verified)).not.toBe(text(unchanged));
  });
});
