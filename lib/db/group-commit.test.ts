import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit";

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe("groupCommit", () => {
  it("runs a lone item at once, and batches what arrives while a batch is in flight", async () => {
    const batches: number[][] = [];
    const gc = groupCommit<number>({ maxBatch: 64, maxInFlight: 1, key: (n) => n, run: async (items) => (batches.push(items), tick()) });
    await gc.submit(1);
    expect(batches).toEqual([[1]]);
    await Promise.all([2, 3, 4, 5].map((n) => gc.submit(n)));
    expect(batches).toEqual([[1], [2], [3, 4, 5]]);
  });

  it("keeps one key out of two batches at once, in order", async () => {
    const batches: string[][] = [];
    const gc = groupCommit<string>({ maxBatch: 64, maxInFlight: 4, key: (s) => s[0]!, run: async (items) => (batches.push(items), tick()) });
    await Promise.all(["a1", "a2", "b1", "a3"].map((s) => gc.submit(s)));
    // a1 starts alone; a2 cannot join another batch while a1 runs, nor can a3 pass it.
    const order = batches.flat().filter((s) => s.startsWith("a"));
    expect(order).toEqual(["a1", "a2", "a3"]);
  });

  it("retries a failed batch one item at a time: only the bad item fails", async () => {
    const gc = groupCommit<number>({
      maxBatch: 64,
      maxInFlight: 1,
      key: (n) => n,
      run: async (items) => {
        await tick();
        if (items.includes(13)) throw new Error("bad item");
      },
    });
    const first = gc.submit(1);
    const results = await Promise.allSettled([11, 12, 13, 14].map((n) => gc.submit(n)));
    await first;
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
  });

  it("runs an item flagged alone by itself", async () => {
    const batches: number[][] = [];
    const gc = groupCommit<number>({ maxBatch: 64, maxInFlight: 1, key: (n) => n, alone: (n) => n > 100, run: async (items) => (batches.push(items), tick()) });
    await Promise.all([1, 2, 500, 3, 4].map((n) => gc.submit(n)));
    expect(batches.some((b) => b.includes(500) && b.length > 1)).toBe(false);
  });
});

describe("groupCommit ordering around items that run alone", () => {
  it("does not let a device's later item pass its earlier one that must run alone", async () => {
    const order: string[] = [];
    const gc = groupCommit<string>({
      maxBatch: 64,
      maxInFlight: 1,
      key: (s) => s.split(":")[0]!,
      alone: (s) => s.endsWith("big"),
      run: async (items) => {
        order.push(...items);
        await tick();
      },
    });
    // "a:1" runs at once; the next batch then starts with "y:1" and must not take "d2:small" past "d2:big".
    await Promise.all(["a:1", "y:1", "d2:big", "d2:small"].map((s) => gc.submit(s)));
    expect(order.indexOf("d2:big")).toBeLessThan(order.indexOf("d2:small"));
  });
});
