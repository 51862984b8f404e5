/** GET /api/v1/me: who the token acts as. */
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(null, async ({ actor }) => ({ id: actor.userId, email: actor.email, name: actor.name, role: actor.role }));
