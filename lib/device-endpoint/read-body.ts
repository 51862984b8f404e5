import { AppError } from "@/lib/errors";

/**
 * Reads a request body, refusing it as soon as it passes `limit` bytes (a declared
 * Content-Length over the limit is refused before reading). Works on any async iterable of
 * bytes: a Node IncomingMessage and a web ReadableStream both are.
 */
export async function readLimitedBody(
  stream: AsyncIterable<Uint8Array> | null,
  declaredLength: string | null,
  limit: number,
  onTooLarge?: () => void,
): Promise<Buffer> {
  const tooLarge = () => {
    onTooLarge?.();
    return new AppError("BODY_TOO_LARGE", `Body larger than ${limit} bytes.`);
  };
  if (declaredLength !== null && Number(declaredLength) > limit) throw tooLarge();
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}
