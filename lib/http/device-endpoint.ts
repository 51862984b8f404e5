/**
 * The wrapper every device-protocol route goes through: it owns the body-size limit and maps
 * errors to responses, so handlers hold no try/catch. Responses carry the status codes and
 * reason phrases of protocol §2.2; error bodies are one line of plain text a person with curl
 * can read (the CE client ignores bodies on errors).
 */
import { AppError, HTTP_STATUS } from "@/lib/errors";

/** Status reports are a few hundred bytes; anything near this limit is not a CE message. */
export const MAX_DEVICE_BODY_BYTES = 1024 * 1024;

export function textResponse(status: number, reason: string, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    statusText: reason,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function okResponse(): Response {
  return textResponse(200, "OK", "");
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const { status, reason } = HTTP_STATUS[error.code];
    return textResponse(status, reason, `${reason}: ${error.message}\n`);
  }
  // Unknown errors are logged whole but never shown: the caller gets the generic phrase.
  console.error("device endpoint failed", error);
  return textResponse(500, "Internal Server Error", "Internal Server Error\n");
}

/** The body as text: at most MAX_DEVICE_BODY_BYTES (checked while streaming), UTF-8, no NUL. */
export async function readBody(request: Request): Promise<string> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `Body larger than ${MAX_DEVICE_BODY_BYTES} bytes.`);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_DEVICE_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.byteLength;
      if (size > MAX_DEVICE_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(r.value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid UTF-8.");
  }
  // XML forbids U+0000 and PostgreSQL cannot store it in text: refuse it here, as a 400.
  if (text.includes("\u0000")) throw new AppError("BAD_REQUEST", "The body contains a NUL character.");
  return text;
}

export function deviceEndpoint(handler: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
