/**
 * What a device message may declare itself as. The protocol documents no content type (§9),
 * and a CE HTTP stack or curl may send none, text/xml, application/xml or the form default, so
 * those are accepted; a body that says it is something else (JSON, multipart, an image) or XML
 * in a charset other than UTF-8 is refused with 415 rather than misread. File-collection
 * uploads are raw files: any type.
 */
import { AppError } from "@/lib/errors";
import { singleHeader, type HeaderValues } from "@/lib/device-protocol/headers";

const XML_LIKE = /^(text\/[\w.+-]+|application\/(xml|[\w.+-]+\+xml|octet-stream|x-www-form-urlencoded))$/;

export function checkContentType(headers: HeaderValues, anyType: boolean): void {
  const raw = singleHeader(headers, "Content-Type");
  if (raw === null || anyType) return;
  const [type, ...params] = raw.toLowerCase().split(";").map((p) => p.trim());
  if (!XML_LIKE.test(type!)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Content-Type ${type} is not a device message; send the XML document as text/xml.`);
  const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replace(/"/g, "");
  if (charset && !["utf-8", "utf8", "us-ascii"].includes(charset)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Device messages are read as UTF-8; got charset=${charset}.`);
  }
}
