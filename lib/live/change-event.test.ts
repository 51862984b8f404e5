import { describe, expect, it } from "vitest";
import { EVERYTHING_CHANGED, eventFromRows, parseChangePayload, touchesAnyJob, touchesDevice } from "./change-event";

describe("parseChangePayload", () => {
  it("reads the three shapes the writer sends", () => {
    expect(parseChangePayload('{"l":[7,3,5],"d":[1],"j":[]}')).toEqual({ logIds: [7, 3, 5], logRange: [3, 7], deviceIds: [1], jobIds: [] });
    expect(parseChangePayload('{"r":[10,2000],"d":[1,2],"j":[9]}')).toEqual({ logIds: null, logRange: [10, 2000], deviceIds: [1, 2], jobIds: [9] });
    expect(parseChangePayload('{"r":[10,2000]}')).toEqual({ logIds: null, logRange: [10, 2000], deviceIds: null, jobIds: null });
  });

  it("takes anything else for 'everything changed' rather than dropping it", () => {
    for (const p of [undefined, "", "not json", "42", "null", '{"l":"x"}', '{"d":[1.5]}']) {
      const e = parseChangePayload(p);
      expect(e.logIds === null || e.logIds.length === 0).toBe(true);
      expect(e.deviceIds ?? null).toBe(null);
    }
    expect(parseChangePayload("nope")).toEqual(EVERYTHING_CHANGED);
  });
});

it("builds the same event from log rows read back", () => {
  const e = eventFromRows([
    { id: 12, deviceId: 1, jobId: 5 },
    { id: 10, deviceId: 2, jobId: null },
    { id: 11, deviceId: 1, jobId: 5 },
  ]);
  expect(e).toEqual({ logIds: [10, 11, 12], logRange: [10, 12], deviceIds: [1, 2], jobIds: [5] });
  expect(touchesDevice(e, 2)).toBe(true);
  expect(touchesDevice(e, 3)).toBe(false);
  expect(touchesAnyJob(e, new Set([4, 5]))).toBe(true);
  expect(touchesAnyJob(e, new Set([4]))).toBe(false);
  expect(touchesDevice(EVERYTHING_CHANGED, 3)).toBe(true);
  expect(touchesAnyJob(EVERYTHING_CHANGED, new Set())).toBe(true);
});
