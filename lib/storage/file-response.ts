/** A file of the store as an attachment download, streamed: the console's downloads share it. */
import { Readable } from "node:stream";
import { contentDisposition } from "@/lib/downloads/content-disposition";
import { fileStore } from "./file-store";

export function storedFileResponse(storageKey: string, size: number | bigint, fileName: string): Response {
  return new Response(Readable.toWeb(fileStore().read(storageKey)) as ReadableStream, {
    headers: { "content-type": "application/octet-stream", "content-length": String(size), "content-disposition": contentDisposition(fileName) },
  });
}
