/**
 * Adaptive group commit: concurrent work items share one transaction, each caller answered only
 * after that transaction commits. Nothing waits for a batch to fill: an item that arrives while
 * fewer than `maxInFlight` batches run starts at once (a batch of one, no added latency at low
 * load); items that arrive meanwhile queue and leave together, up to `maxBatch`, when a batch
 * finishes. A failed batch is retried one item at a time, so one bad item fails only itself.
 * Items with the same `key` (a device) are never in two batches at once, so their order holds.
 */
export type GroupCommit<I> = { submit(item: I): Promise<void>; stats(): { batches: number; items: number } };

export function groupCommit<I>(opts: {
  maxBatch: number;
  maxInFlight: number;
  key: (item: I) => string | number;
  /** Items that must run alone (too big to hold others up). */
  alone?: (item: I) => boolean;
  run: (items: I[]) => Promise<void>;
}): GroupCommit<I> {
  type Waiting = { item: I; resolve: () => void; reject: (e: unknown) => void };
  const queue: Waiting[] = [];
  const busy = new Map<string | number, number>();
  let inFlight = 0;
  let batches = 0;
  let items = 0;

  const take = (): Waiting[] => {
    const batch: Waiting[] = [];
    const claimed = new Set<string | number>();
    for (let i = 0; i < queue.length && batch.length < opts.maxBatch; ) {
      const w = queue[i]!;
      const k = opts.key(w.item);
      const single = opts.alone?.(w.item) ?? false;
      // A key in flight or already skipped waits (its later items stay behind it); an item that
      // must run alone runs by itself.
      if (claimed.has(k) || busy.has(k) || (single && batch.length > 0) || (!single && batch.length === 1 && opts.alone?.(batch[0]!.item))) {
        claimed.add(k);
        i++;
        continue;
      }
      batch.push(...queue.splice(i, 1));
      if (single) break;
    }
    return batch;
  };

  const pump = () => {
    while (inFlight < opts.maxInFlight && queue.length > 0) {
      const batch = take();
      if (batch.length === 0) return;
      const keys = batch.map((w) => opts.key(w.item));
      for (const k of keys) busy.set(k, (busy.get(k) ?? 0) + 1);
      inFlight++;
      batches++;
      items += batch.length;
      void (async () => {
        try {
          await opts.run(batch.map((w) => w.item));
          for (const w of batch) w.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else {
            for (const w of batch) await opts.run([w.item]).then(w.resolve, w.reject);
          }
        } finally {
          for (const k of keys) {
            const n = busy.get(k)! - 1;
            if (n === 0) busy.delete(k);
            else busy.set(k, n);
          }
          inFlight--;
          pump();
        }
      })();
    }
  };

  return {
    submit: (item) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      }),
    stats: () => ({ batches, items }),
  };
}
