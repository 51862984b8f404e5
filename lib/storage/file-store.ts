/**
 * Where package files and collected device files live. One small interface, so several app
 * nodes can later share an object store; the implementation here is a local folder
 * (`DEPLOYDESK_STORAGE_DIR`, default `.data/files`, relative to the working directory). Files are streamed in and out, never held
 * in memory; writes go to a temporary name and are renamed into place, so a reader never sees
 * half a file.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export type StoredFile = { size: number; sha256: string };

export interface FileStore {
  /** Streams `source` to `key`; resolves with its size and SHA-256. Refuses more than `maxBytes`. */
  put(key: string, source: Readable | AsyncIterable<Uint8Array>, maxBytes?: number): Promise<StoredFile>;
  /** Size of the stored file, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** The bytes `start`..`end` inclusive (the whole file without a range). */
  read(key: string, range?: { start: number; end: number }): Readable;
  remove(key: string): Promise<void>;
  /** Renames `from` to `to` (replacing it), so a file checked under a temporary key appears whole. */
  move(from: string, to: string): Promise<void>;
}

/** Keys are relative paths of safe segments: never `..`, never absolute. */
function checkKey(key: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(key)) throw new Error(`bad storage key: ${key}`);
  return key;
}

export class FileTooLargeError extends Error {}

export function localFileStore(root: string): FileStore {
  const full = (key: string) => path.join(root, checkKey(key));
  return {
    async put(key, source, maxBytes = Number.POSITIVE_INFINITY) {
      const target = full(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomUUID()}.part`;
      const hash = createHash("sha256");
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new FileTooLargeError(`larger than ${maxBytes} bytes`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, meter, createWriteStream(temp));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { size, sha256: hash.digest("hex") };
    },
    async size(key) {
      const s = await stat(full(key)).catch(() => null);
      return s?.isFile() ? s.size : null;
    },
    read(key, range) {
      return createReadStream(full(key), range ? { start: range.start, end: range.end } : {});
    },
    async remove(key) {
      await rm(full(key), { force: true });
    },
    async move(from, to) {
      await mkdir(path.dirname(full(to)), { recursive: true });
      await rename(full(from), full(to));
    },
  };
}

const g = globalThis as unknown as { deploydeskFileStore?: FileStore };

/** DEPLOYDESK_STORAGE_DIR, else `files` beside the embedded database's data (DEPLOYDESK_DATA_DIR, default .data). */
export function storageDir(): string {
  // A place for uploaded packages chosen at run time, not a file of the app: the ignore comment
  // keeps Turbopack's file tracer from including the whole project in the build for it.
  return path.resolve(/* turbopackIgnore: true */ process.env.DEPLOYDESK_STORAGE_DIR || path.join(process.env.DEPLOYDESK_DATA_DIR || ".data", "files"));
}

export function fileStore(): FileStore {
  return (g.deploydeskFileStore ??= localFileStore(storageDir()));
}
