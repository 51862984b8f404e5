/** The stored package file of a library entry as a download (the console and the API). */
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { storedFileResponse } from "@/lib/storage/file-response";
import { getSoftwareFile } from "./queries";

export async function softwareFileResponse(id: number): Promise<Response> {
  const file = await getSoftwareFile(id);
  if (!file) throw new AppError("NOT_FOUND", `Software ${id} has no stored file.`);
  return storedFileResponse(file.storageKey, file.fileSize, file.fileName);
}

/** A web request's body as a Node stream, for busboy. */
export function nodeBody(request: Request): Readable {
  if (!request.body) return Readable.from([]);
  return Readable.fromWeb(request.body as unknown as import("node:stream/web").ReadableStream<Uint8Array>);
}
