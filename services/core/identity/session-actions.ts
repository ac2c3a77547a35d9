/** "Where am I logged in": a user lists their own sessions and ends any one of them; gateways warm their revocation list. */
import { requireUser } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import type { ActionContext } from "../../../lib/contracts";
import { NotFoundError } from "../../../lib/errors";
import type { IdentityThis } from "./identity.context";
import type { SessionView } from "./identity.contract";
import type { SessionsRevoked } from "./identity.events";
import { revokeSessions } from "./session-revocation";

export async function listSessions(
  svc: IdentityThis,
  ctx: ActionContext<"identity.sessions">,
): Promise<{ items: SessionView[] }> {
  const user = requireUser(ctx);
  const sessions = await svc.sessionManager.activeOf(user.id);
  return {
    items: sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === user.sessionId,
    })),
  };
}

export async function revokeSession(
  svc: IdentityThis,
  ctx: ActionContext<"identity.revokeSession">,
): Promise<{ revoked: boolean }> {
  const user = requireUser(ctx);
  const session = await svc.sessionManager.findSession(ctx.params.id);
  // Someone else's session id answers like an unknown one: no probing.
  if (!session || session.userId !== user.id) throw new NotFoundError("Session", ctx.params.id);
  if (session.revokedAt) return { revoked: false };
  await revokeSessions(svc, [session.id], "revoked by user");
  return { revoked: true };
}

/** Sessions revoked recently enough that some access token of theirs may still be unexpired. */
export async function recentlyRevokedSessions(svc: IdentityThis): Promise<SessionsRevoked> {
  const ttl = getConfig().auth.accessTokenTtlS;
  const revoked = await svc.sessionManager.recentlyRevoked(ttl);
  return { sessionIds: revoked.map((s) => s.id), expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
}
