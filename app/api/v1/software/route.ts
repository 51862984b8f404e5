/** GET /api/v1/software: the library. POST: multipart, the file (field "file") plus its fields → 201. */
import { apiRoute } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/errors";
import { listSoftware } from "@/lib/software/queries";
import { nodeBody } from "@/lib/software/software-file-response";
import { createSoftwareFromUpload } from "@/lib/software/upload-software";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ software: ["read"] }, async () => ({ software: await listSoftware() }));

export const POST = apiRoute({ software: ["write"] }, async ({ request, actor }) =>
  jsonResponse(await createSoftwareFromUpload(actor, nodeBody(request), request.headers.get("content-type")), 201),
);
