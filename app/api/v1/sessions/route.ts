/** POST /api/v1/sessions { email, password } → 201 { token, expiresAt }: a bearer token for the API. */
import { publicApiRoute, readJson, requestOrigin } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/errors";
import { signIn, signInSchema } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

export const POST = publicApiRoute(async ({ request }) => {
  const input = await readJson(request, signInSchema);
  // No cookie: the caller is a program, and it only gets the token.
  const headers = new Headers(Object.fromEntries([...request.headers].filter(([name]) => name !== "cookie")));
  const { token, expiresAt, actor } = await signIn(input, { headers, ...requestOrigin(request), via: "api" });
  return jsonResponse({ token, expiresAt: expiresAt.toISOString(), user: { id: actor.userId, email: actor.email, role: actor.role } }, 201);
});
