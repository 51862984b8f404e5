import { describe, expect, it } from "vitest";
import { countDeltas, countsOf, STATUSES_BY_BUCKET } from "./job-counts";
import { JOB_STATUSES, type JobStatus } from "./status-model";

const NOW = new Date("2026-11-21T12:00:00Z");
const job = (status: JobStatus, cancelled = false) => ({ status, cancelledAt: cancelled ? NOW : null });

describe("job counter deltas", () => {
  it("a new job adds one to its bucket, a removed one takes it away", () => {
    expect(countDeltas([{ deviceId: 1, before: null, after: job("WAITING_FOR_DOWNLOAD") }])).toEqual([{ deviceId: 1, installing: 1, installed: 0, attention: 0 }]);
    expect(countDeltas([{ deviceId: 1, before: job("INSTALLATION_FAILED"), after: null }])).toEqual([{ deviceId: 1, installing: 0, installed: 0, attention: -1 }]);
  });

  it("a move between buckets is -1 and +1; inside one bucket, or of a cancelled job, it is nothing", () => {
    expect(countDeltas([{ deviceId: 1, before: job("INSTALLING_SOFTWARE"), after: job("DOWNLOADED") }])).toEqual([{ deviceId: 1, installing: -1, installed: 1, attention: 0 }]);
    expect(countDeltas([{ deviceId: 1, before: job("WAITING_FOR_DOWNLOAD"), after: job("INSTALLING_SOFTWARE") }])).toEqual([]);
    expect(countDeltas([{ deviceId: 1, before: job("INSTALLING_SOFTWARE", true), after: null }])).toEqual([]);
    expect(countDeltas([{ deviceId: 1, before: job("UNKNOWN_STATUS"), after: job("UNKNOWN_STATUS", true) }])).toEqual([{ deviceId: 1, installing: 0, installed: 0, attention: -1 }]);
  });

  it("sums per device, drops devices whose moves cancel out, and lists devices in id order", () => {
    const deltas = countDeltas([
      { deviceId: 9, before: job("INSTALLING_SOFTWARE"), after: job("INSTALLATION_FAILED") },
      { deviceId: 3, before: job("INSTALLING_SOFTWARE"), after: job("DOWNLOADED") },
      { deviceId: 9, before: job("INSTALLATION_FAILED"), after: job("INSTALLING_SOFTWARE") },
      { deviceId: 3, before: null, after: job("WAITING_FOR_BOOTSTRAP") },
      { deviceId: 5, before: null, after: job("INSTALLED_VERIFIED") },
    ]);
    expect(deltas).toEqual([
      { deviceId: 3, installing: 0, installed: 1, attention: 0 },
      { deviceId: 5, installing: 0, installed: 1, attention: 0 },
    ]);
  });

  it("buckets every status exactly once for the SQL recount", () => {
    const listed = Object.values(STATUSES_BY_BUCKET).flat().sort();
    expect(listed).toEqual([...JOB_STATUSES].sort());
    for (const status of JOB_STATUSES) expect(Object.values(countsOf(job(status))).reduce((a, b) => a + b)).toBe(1);
  });
});
