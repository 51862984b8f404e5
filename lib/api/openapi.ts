/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes and services
 * validate with (zod's JSON Schema output is draft 2020-12, the dialect of OpenAPI 3.1). Every
 * route is listed here once; a unit test checks that this list and app/api/v1 agree.
 */
import { z } from "zod";
import { signInSchema } from "@/lib/auth/sign-in-schema";
import { devicePatchSchema, newDeviceSchema } from "@/lib/devices/device-schemas";
import { deviceListQuerySchema } from "@/lib/devices/list-devices-params";
import { installBatchSchema } from "@/lib/installation-jobs/install-batch-schema";
import { jobListQuerySchema } from "@/lib/installation-jobs/list-jobs-params";
import { logListQuerySchema } from "@/lib/installation-log/list-log-params";
import { messageListQuerySchema } from "@/lib/delivery/list-messages-params";
import { newSoftwareSchema, softwarePatchSchema } from "@/lib/software/software-schemas";

type Method = "get" | "post" | "patch" | "delete";

export type Operation = {
  method: Method;
  path: string;
  summary: string;
  /** What the role needs, as text ("device:write"); null for public routes. */
  permission: string | null;
  body?: { schema: z.ZodType; type?: "application/json" | "multipart/form-data" };
  query?: z.ZodObject;
  success: { status: number; description: string };
  errors: number[];
};

const AUTH_ERRORS = [401, 403];

export const OPERATIONS: Operation[] = [
  { method: "post", path: "/api/v1/sessions", summary: "Sign in: a bearer token for the API", permission: null, body: { schema: signInSchema }, success: { status: 201, description: "{ token, expiresAt, user }" }, errors: [401, 403, 415, 422, 429] },
  { method: "get", path: "/api/v1/me", summary: "Who the token acts as", permission: "", success: { status: 200, description: "{ id, email, name, role }" }, errors: [401] },
  { method: "get", path: "/api/v1/software", summary: "The software library", permission: "software:read", success: { status: 200, description: "{ software: [...] }" }, errors: AUTH_ERRORS },
  {
    method: "post",
    path: "/api/v1/software",
    summary: "Add a library entry: the package file (field `file`) and its fields",
    permission: "software:write",
    body: { schema: newSoftwareSchema, type: "multipart/form-data" },
    success: { status: 201, description: "{ id, name, version, packageId, fileSize, fileSha256 }" },
    errors: [...AUTH_ERRORS, 409, 413, 415, 422],
  },
  { method: "get", path: "/api/v1/software/{id}", summary: "One library entry with its instruction fields", permission: "software:read", success: { status: 200, description: "the entry" }, errors: [...AUTH_ERRORS, 404] },
  { method: "patch", path: "/api/v1/software/{id}", summary: "Change an entry's fields", permission: "software:write", body: { schema: softwarePatchSchema }, success: { status: 200, description: "the entry" }, errors: [...AUTH_ERRORS, 404, 409, 415, 422] },
  {
    method: "get",
    path: "/api/v1/devices",
    summary: "The devices list: search, filters (values of one OR-ed, filters AND-ed), sort and keyset pages; pass `next` back as `cursor`",
    permission: "device:read",
    query: deviceListQuerySchema,
    success: { status: 200, description: "{ devices: [...], total: { kind, value }, next, previous }" },
    errors: [...AUTH_ERRORS, 422],
  },
  { method: "post", path: "/api/v1/devices", summary: "Register a device; the answer carries its token, once", permission: "device:write", body: { schema: newDeviceSchema }, success: { status: 201, description: "{ deviceUuid, name, token }" }, errors: [...AUTH_ERRORS, 409, 415, 422] },
  { method: "get", path: "/api/v1/devices/{uuid}", summary: "One device", permission: "device:read", success: { status: 200, description: "the device" }, errors: [...AUTH_ERRORS, 404] },
  { method: "patch", path: "/api/v1/devices/{uuid}", summary: "Change a device's name, platform or phone number", permission: "device:write", body: { schema: devicePatchSchema }, success: { status: 200, description: "the device" }, errors: [...AUTH_ERRORS, 404, 415, 422] },
  { method: "delete", path: "/api/v1/devices/{uuid}", summary: "Remove a device with its jobs, log and reports", permission: "device:write", success: { status: 204, description: "removed" }, errors: [...AUTH_ERRORS, 404] },
  { method: "get", path: "/api/v1/devices/{uuid}/jobs", summary: "A device's Installing and Installed jobs, in priority order", permission: "job:read", success: { status: 200, description: "{ installing: [...], installed: [...] }" }, errors: [...AUTH_ERRORS, 404] },
  {
    method: "get",
    path: "/api/v1/jobs",
    summary: "Installation jobs across devices, newest first, a page at a time (filters OR-ed within one parameter, AND-ed across)",
    permission: "job:read",
    query: jobListQuerySchema,
    success: { status: 200, description: "{ jobs: [{ id, deviceUuid, deviceName, softwareId, softwareName, softwareVersion, method, fallbackMethod, status, attempts, batchId, createdAt, updatedAt, cancelledAt }], next, previous }: pass next (or previous) as cursor" },
    errors: [...AUTH_ERRORS, 422],
  },
  {
    method: "post",
    path: "/api/v1/jobs",
    summary: "Install software on devices: the jobs are created in one transaction, or with `rollout` released gradually (N an hour, an optional daily UTC window, an optional pause on failures)",
    permission: "job:write",
    body: { schema: installBatchSchema },
    success: { status: 201, description: "{ batchId, jobs: [{ id, deviceUuid, status }], skipped: [uuids], rollout: { targets, released, nextReleaseAt } | null }: with `rollout`, only the first release's jobs" },
    errors: [...AUTH_ERRORS, 409, 415, 422],
  },
  { method: "get", path: "/api/v1/jobs/{id}", summary: "One job with its whole history", permission: "job:read", success: { status: 200, description: "the job and its history" }, errors: [...AUTH_ERRORS, 404] },
  { method: "delete", path: "/api/v1/jobs/{id}", summary: "Remove a job; its history stays in the log", permission: "job:write", success: { status: 204, description: "removed" }, errors: [...AUTH_ERRORS, 404] },
  { method: "post", path: "/api/v1/jobs/{id}/retry", summary: "Retry a failed or unknown job (attempt n+1)", permission: "job:write", success: { status: 200, description: "the job" }, errors: [...AUTH_ERRORS, 404, 409] },
  {
    method: "get",
    path: "/api/v1/log",
    summary: "The installation log, newest first, with the console's filters; Accept: text/csv streams every matching row as CSV",
    permission: "log:read",
    query: logListQuerySchema,
    success: { status: 200, description: "{ events: [...], next, previous, partial } (a cursor for `cursor`; partial: the search stopped before the page filled and `next` goes on), or text/csv" },
    errors: [...AUTH_ERRORS, 422],
  },
  {
    method: "get",
    path: "/api/v1/messages",
    summary: "The Outbox: outgoing messages (SMS push, WAP push, OMA DM bootstrap), newest first, a page at a time (filters OR-ed within one parameter, AND-ed across)",
    permission: "job:read",
    query: messageListQuerySchema,
    success: { status: 200, description: "{ messages: [{ id, kind, kindLabel, jobId, deviceUuid, deviceName, recipient, summary, link, state, stateLabel, attempts, nextAttemptAt, lastError, createdAt }], next, previous }: pass next (or previous) as cursor" },
    errors: [...AUTH_ERRORS, 422],
  },
  { method: "get", path: "/api/v1/messages/{id}", summary: "One message with its content, its events oldest first, and whether it can be sent again", permission: "job:read", success: { status: 200, description: "the message and its events" }, errors: [...AUTH_ERRORS, 404] },
  {
    method: "post",
    path: "/api/v1/messages/{id}/resend",
    summary: "Send a message again: a push job's link with a fresh ticket, or the device's bootstrap while it is under way; the messages still waiting to go out are cancelled",
    permission: "job:write",
    success: { status: 201, description: "the new message, with `replaces`: the id it was sent for" },
    errors: [...AUTH_ERRORS, 404, 409],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/pause",
    summary: "Pause a gradual installation: no job is released until it is resumed",
    permission: "job:write",
    success: { status: 200, description: "{ batchId, jobCount, rollout: { state, targets, released, skipped, nextReleaseAt, pausedAt, pausedBy, pauseReason, failed, finished, perHour, window, failureThresholdPercent, minFinished } }" },
    errors: [...AUTH_ERRORS, 404, 409],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/resume",
    summary: "Resume a paused gradual installation: releasing goes on where its schedule stands; the failure rule counts from now",
    permission: "job:write",
    success: { status: 200, description: "as pause" },
    errors: [...AUTH_ERRORS, 404, 409],
  },
  { method: "post", path: "/api/v1/jobs/{id}/cancel", summary: "Cancel an unfinished job; its package leaves the device's next poll", permission: "job:write", success: { status: 200, description: "the job" }, errors: [...AUTH_ERRORS, 404, 409] },
];

export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: "One of the server's error codes, e.g. VALIDATION_FAILED" }),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

const REASONS: Record<number, string> = {
  401: "No token, or not a valid one",
  403: "The token's role does not allow this",
  404: "No such item",
  409: "Conflicts with what exists",
  413: "Too large",
  415: "Wrong media type",
  422: "Invalid input: the fields and their messages",
  429: "Too many attempts",
};

function jsonSchema(schema: z.ZodType) {
  // Input shape: what a caller sends (before defaults and transforms).
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

export function buildOpenApiDocument(serverUrl = "/") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = op.query
      ? Object.entries(jsonSchema(op.query).properties as Record<string, unknown>).map(([name, schema]) => ({ name, in: "query", required: false, schema }))
      : [];
    let body: Record<string, unknown> | undefined;
    if (op.body) {
      const type = op.body.type ?? "application/json";
      const schema = jsonSchema(op.body.schema);
      if (type === "multipart/form-data") (schema.properties as Record<string, unknown>).file = { type: "string", contentMediaType: "application/octet-stream" };
      body = { required: true, content: { [type]: { schema } } };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.permission ? { description: `Needs ${op.permission}.` } : {}),
      ...(op.permission === null ? { security: [] } : {}),
      ...(params.length + query.length ? { parameters: [...params, ...query] } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: {
        [op.success.status]: { description: op.success.description },
        ...Object.fromEntries(op.errors.map((s) => [s, { description: REASONS[s] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "DeployDesk API", version: "1", description: "Statuses are their display texts; methods are OMA_DM, WAP_PUSH, SMS_PUSH, MARK_FOR_INSTALLATION." },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: { Error: jsonSchema(errorEnvelopeSchema) } },
    paths,
  };
}
