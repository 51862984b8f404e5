/**
 * `Content-Disposition: attachment` for any file name (RFC 6266): an ASCII fallback for old
 * clients and the exact name in `filename*` as UTF-8. A device controls the names of the files
 * it uploads, so nothing of the name may reach the header raw: Node refuses header values with
 * characters above U+00FF or control characters, and quotes or CR/LF would break the header.
 */
export function contentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "").trim() || "download";
  const ascii = clean.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
