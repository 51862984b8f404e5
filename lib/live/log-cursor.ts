/**
 * How far the change bus has read installation_log, in a form that survives out-of-order
 * commits. Pure: the bus feeds it the ids it reads or hears, and asks it what to read next.
 *
 * Log ids come from a sequence when a row is inserted, but rows become visible when their
 * transaction commits, so a lower id can commit after a higher one has been read: a reader that
 * only asks for `id > highest seen` loses it for good (toolchain-console.md §3, the polling gap).
 * So the cursor remembers the ids below its highest one that it has not seen — gaps — and the
 * next read asks for them again. A gap is either a row still being written (it shows up soon) or
 * a number that never becomes a row (a rolled-back write, a conflicting insert), so each gap is
 * given up once a read that started `window` after it was noticed has not found it: a write that
 * commits more than `window` after its insert is the one thing a read can still miss.
 */
export type LogCursorOptions = {
  /** How long after being noticed a gap is still looked for (ms). */
  window: number;
  /** At most this many gaps are remembered (the oldest go first): a burst of rolled-back ids must not grow memory without bound. */
  maxGaps: number;
};

export class LogCursor {
  /** Every id at or below this one has been seen or given up; null before `start`. */
  private highest: number | null = null;
  /** Unseen ids below `highest`, with the time each was noticed missing, oldest first. */
  private readonly gaps = new Map<number, number>();
  /** Ids seen before `start` (a notification that came while the starting read ran). */
  private early: number[] = [];

  constructor(private readonly opts: LogCursorOptions) {}

  get started(): boolean {
    return this.highest !== null;
  }

  /**
   * The starting point: ids up to `floor` are history; of the ones above it, `present` exist and
   * the rest are gaps (rows being written as the bus starts, which must not be lost either).
   */
  start(floor: number, present: readonly number[], now: number): void {
    this.highest = floor;
    this.gaps.clear();
    for (const id of [...present, ...this.early].sort((a, b) => a - b)) this.accept(id, now);
    this.early = [];
  }

  /** Records a seen id; true when it is new, false when it was seen (or given up) before. */
  accept(id: number, now: number): boolean {
    if (this.highest === null) {
      this.early.push(id);
      return true;
    }
    if (id > this.highest) {
      this.noticeGaps(id - 1, now);
      this.highest = id;
      return true;
    }
    return this.gaps.delete(id);
  }

  /**
   * A write announced only by its range (too many rows to list). Which ids in it are its own is
   * unknown, so all of them stay gaps: a read after a disconnect may then return some that were
   * already announced, which is harmless, and never skips one that was not.
   */
  acceptRange(lowest: number, highest: number, now: number): void {
    if (this.highest === null || highest <= this.highest) return;
    this.noticeGaps(highest, now);
    this.highest = highest;
  }

  /** What the next read asks for: ids above `after`, and the gaps. */
  next(): { after: number; gaps: number[] } {
    return { after: this.highest ?? 0, gaps: [...this.gaps.keys()] };
  }

  /**
   * Gives up the gaps noticed more than `window` before `observedSince`: the time from which
   * every commit is known to have been read or heard (the start of the last complete read, or
   * now while notifications flow). Never wall time alone: while disconnected nothing is observed.
   */
  expire(observedSince: number): void {
    const cutoff = observedSince - this.opts.window;
    for (const [id, noticed] of this.gaps) if (noticed < cutoff) this.gaps.delete(id);
  }

  gapCount(): number {
    return this.gaps.size;
  }

  /** Every id above the highest up to `upTo` is missing; only the newest maxGaps are kept (a sequence that jumped must not fill memory). */
  private noticeGaps(upTo: number, now: number): void {
    for (let missing = Math.max(this.highest! + 1, upTo - this.opts.maxGaps + 1); missing <= upTo; missing++) this.gaps.set(missing, now);
    this.trim();
  }

  private trim(): void {
    for (const id of this.gaps.keys()) {
      if (this.gaps.size <= this.opts.maxGaps) break;
      this.gaps.delete(id);
    }
  }
}
