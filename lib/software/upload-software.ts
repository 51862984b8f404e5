/**
 * A new library entry from a multipart upload (the console's upload form and
 * POST /api/v1/software share this). The body is parsed as a stream (busboy): the file goes
 * straight to the file store under a temporary key while its size and SHA-256 are computed,
 * so memory stays flat whatever the file's size (toolchain-console.md §4: formData() and
 * server actions would hold it all). Only then are the fields checked; a refusal removes the
 * temporary file and loses nothing else.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { FileTooLargeError, fileStore, type StoredFile } from "@/lib/storage/file-store";
import { parseOrThrow } from "@/lib/validation";
import { clearOtherDefaultBuilds, describeEntry, duplicateFileOwner } from "./library-rules";
import { instructionColumns, newSoftwareSchema, uploadFieldsInput } from "./software-schemas";

export function maxUploadBytes(): number {
  return Number(process.env.DEPLOYDESK_MAX_UPLOAD_BYTES || 2 * 1024 ** 3);
}

type Upload = { fields: Record<string, string>; file: (StoredFile & { key: string; fileName: string }) | null };

/** A file name as a download would offer it: its last path segment, printable, not too long. */
function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return printable || "package.cab";
}

function readMultipart(body: Readable, contentType: string): Promise<Upload> {
  const limit = maxUploadBytes();
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 60, fieldSize: 16 * 1024, parts: 62 } });
    } catch {
      reject(new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the upload as multipart/form-data."));
      return;
    }
    const fields: Record<string, string> = {};
    let stored: Promise<Upload["file"]> = Promise.resolve(null);
    let failure: unknown = null;
    const fail = (error: unknown) => {
      failure ??= error;
    };
    parser.on("field", (name, value) => {
      // A checkbox sends "on" after its hidden "false": the last value wins, as in a form.
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        fail(new AppError("VALIDATION_FAILED", `Unexpected file field "${name}".`, { fields: [{ field: name, message: "Send the package as the field named file." }] }));
        return;
      }
      const key = `uploads/${randomUUID()}`;
      const fileName = cleanFileName(info.filename);
      stored = fileStore()
        .put(key, stream, limit)
        .then((s) => ({ ...s, key, fileName }))
        .catch((error: unknown) => {
          stream.resume();
          if (error instanceof FileTooLargeError) throw new AppError("BODY_TOO_LARGE", `The file is larger than the limit of ${limit} bytes (DEPLOYDESK_MAX_UPLOAD_BYTES).`);
          throw error;
        });
      stored.catch(fail);
    });
    parser.on("filesLimit", () => fail(new AppError("VALIDATION_FAILED", "Send one file per entry.", { fields: [{ field: "file", message: "One file only." }] })));
    parser.on("fieldsLimit", () => fail(new AppError("VALIDATION_FAILED", "Too many fields.")));
    parser.on("error", (error) => reject(failure ?? new AppError("VALIDATION_FAILED", `The upload could not be read: ${(error as Error).message}.`)));
    parser.on("close", () => {
      stored.then(
        async (file) => {
          if (failure) {
            if (file) await fileStore().remove(file.key);
            reject(failure);
          } else resolve({ fields, file });
        },
        (error) => reject(failure ?? error),
      );
    });
    body.on("error", (error) => parser.destroy(error));
    body.pipe(parser);
  });
}

export type CreatedSoftware = { id: number; name: string; version: string; packageId: string; fileSize: number; fileSha256: string };

export async function createSoftwareFromUpload(actor: Actor, body: Readable, contentType: string | null): Promise<CreatedSoftware> {
  assertCan(actor, { software: ["write"] });
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) {
    body.resume();
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the upload as multipart/form-data, with the package in the field named file.");
  }
  const { fields, file } = await readMultipart(body, contentType);
  let keep = false;
  let moved = false;
  try {
    if (!file) throw new AppError("VALIDATION_FAILED", "Choose the package file to upload.", { fields: [{ field: "file", message: "Choose a file." }] });
    if (file.size === 0) throw new AppError("VALIDATION_FAILED", "The file is empty.", { fields: [{ field: "file", message: "The file is empty." }] });
    const input = parseOrThrow(newSoftwareSchema, uploadFieldsInput(Object.entries(fields)));
    const owner = await duplicateFileOwner(file.sha256);
    if (owner) {
      throw new AppError("CONFLICT", `This file is already in the library as ${describeEntry(owner)}.`, { fields: [{ field: "file", message: `Same file as ${describeEntry(owner)}.` }] });
    }
    const packageId = input.packageId || randomUUID().toUpperCase();
    const platform = input.platform || null;
    const clash = await db().software.findFirst({
      where: { OR: [{ packageId }, { name: input.name, version: input.version, platform }] },
      select: { name: true, version: true, platform: true, packageId: true, withdrawnAt: true },
    });
    if (clash?.packageId === packageId) {
      throw new AppError("CONFLICT", `The package ID ${packageId} belongs to ${describeEntry(clash)}.`, { fields: [{ field: "packageId", message: "This package ID is taken." }] });
    }
    if (clash) throw new AppError("CONFLICT", `${describeEntry(clash)} already exists: give this build another version.`, { fields: [{ field: "version", message: "This version exists." }] });

    const storageKey = `packages/${file.sha256}`;
    await fileStore().move(file.key, storageKey);
    moved = true;
    const created = await db().$transaction(async (tx) => {
      if (input.defaultBuild) await clearOtherDefaultBuilds(tx, platform, null, actor);
      const row = await tx.software.create({
        data: {
          kind: input.kind,
          name: input.name,
          version: input.version,
          platform,
          packageId,
          defaultBuild: input.defaultBuild ?? false,
          testBuild: input.testBuild ?? false,
          createdBy: actor.email || null,
          fileName: file.fileName,
          fileSize: BigInt(file.size),
          fileSha256: file.sha256,
          storageKey,
          ...instructionColumns(input),
        },
        select: { id: true },
      });
      await recordAudit(actor, "software.create", { type: "software", id: row.id }, { name: input.name, version: input.version, platform, packageId, size: file.size, sha256: file.sha256 }, tx);
      return row;
    });
    keep = true;
    return { id: created.id, name: input.name, version: input.version, packageId, fileSize: file.size, fileSha256: file.sha256 };
  } finally {
    // Never the key of an existing entry: only what this upload put there.
    if (file && !keep) await fileStore().remove(moved ? `packages/${file.sha256}` : file.key);
  }
}
