/**
 * moleculer-web's authenticate/authorize hooks for every routed request:
 * rate limits (per IP, per bucket, per user), the bearer token through the
 * verifier and the identity mixin, then the route's auth level and roles.
 */
import type { ServerResponse } from "node:http";
import type { Context } from "moleculer";
import type { ArenaMeta, AuthUser } from "../../../lib/auth/auth-user";
import type { VerifiedToken } from "../../../lib/auth/jwt-verifier";
import type { IdempotentCallsMeta } from "../../../lib/broker/failover-guard";
import { ForbiddenError, UnauthorizedError } from "../../../lib/errors";
import type { ApiThis, ArenaRequest } from "./api.context";
import { enforceLimits, enforceLimitsTogether } from "./limits";
import type { AliasDefinition } from "./route-aliases";

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  // A present but unusable Authorization header is an auth failure, not anonymous access.
  if (!match) throw new UnauthorizedError("Authorization header must be 'Bearer <token>'");
  return match[1];
}

/**
 * The caller of a well-formed bearer token found in the verified-token cache whose session is
 * not revoked; undefined for anything else (no or a malformed header, a token not verified yet,
 * a revoked session), which takes the path below: per-IP limit, verification, per-user limit.
 */
function knownCaller(svc: ApiThis, header: string | undefined): VerifiedToken | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  const known = match ? svc.verifier.cachedVerification(match[1] as string) : undefined;
  if (!known || svc.revokedSessions.isRevoked(known.user.sessionId)) return undefined;
  return known;
}

/** Who is calling (or null), after the limits that apply before and after knowing it. */
export async function authenticateRequest(
  svc: ApiThis,
  ctx: Context<unknown, ArenaMeta & Record<string, unknown>>,
  req: ArenaRequest,
  res: ServerResponse,
  alias: AliasDefinition,
): Promise<AuthUser | null> {
  const spec = alias.spec;
  // A GET (or HEAD) may be sent to another node when the first one dies mid-call (lib/broker/failover-guard.ts).
  if (req.method === "GET" || req.method === "HEAD") (ctx.meta as IdempotentCallsMeta).$idempotentCaller = svc.fullName;
  const bucket = spec.rateLimitBucket ?? "api";
  const known = bucket === "api" && spec.auth !== "none" ? knownCaller(svc, req.headers.authorization) : undefined;
  let user: AuthUser | undefined;
  if (known) {
    // A token verified before and not revoked: the caller is known already, so the per-IP and
    // per-user counters go to the store in one round trip (the same counters in the same order).
    await enforceLimitsTogether(svc.limitStore, svc.limitPolicy, res, [
      { ip: req.$arena.clientIp, bucket: "api" },
      { userId: known.user.id },
    ]);
    user = await svc.resolveUser(ctx, known.claims, known.user);
  } else {
    await enforceLimits(svc.limitStore, svc.limitPolicy, res, {
      ip: req.$arena.clientIp,
      bucket: bucket === "media" ? "media" : "api",
    });
    if (bucket === "auth" || bucket === "search")
      await enforceLimits(svc.limitStore, svc.limitPolicy, res, { ip: req.$arena.clientIp, bucket });
    if (spec.auth !== "none") {
      const token = bearerToken(req.headers.authorization);
      if (token) {
        const verified = await svc.verifier.verifyToken(token);
        user = await svc.resolveUser(ctx, verified.claims, verified.user);
      }
    }
    if (user) await enforceLimits(svc.limitStore, svc.limitPolicy, res, { userId: user.id });
  }
  if (user && bucket === "search")
    await enforceLimits(svc.limitStore, svc.limitPolicy, res, { userId: user.id, bucket: "search" });
  // Signed media answers single byte ranges (players seeking in MP4 and HLS).
  if (spec.rateLimitBucket === "media" && typeof req.headers.range === "string") ctx.meta.range = req.headers.range;
  if (spec.stream) {
    // The body is the params stream; its size and type travel in meta for the upload action.
    ctx.meta.contentType = req.headers["content-type"];
    const length = Number(req.headers["content-length"]);
    if (Number.isFinite(length)) ctx.meta.contentLength = length;
  }
  return user ?? null;
}

/** 401 without a user where the route needs one, 403 without one of its roles (admin always passes). */
export function authorizeRequest(ctx: Context<unknown, ArenaMeta>, alias: AliasDefinition): void {
  const spec = alias.spec;
  const user = ctx.meta.user ?? undefined;
  if (!user) delete ctx.meta.user;
  const roles = spec.roles ?? [];
  if ((spec.auth === "required" || roles.length > 0) && !user) throw new UnauthorizedError();
  if (user && roles.length > 0 && !user.roles.includes("admin") && !roles.some((r) => user.roles.includes(r))) {
    throw new ForbiddenError(`Requires one of the roles: ${roles.join(", ")}`);
  }
}
