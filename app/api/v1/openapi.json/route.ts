/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (public: it holds no data). */
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { jsonResponse } from "@/lib/api/errors";

export const dynamic = "force-static";

export function GET(): Response {
  return jsonResponse(buildOpenApiDocument());
}
