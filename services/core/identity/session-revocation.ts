import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { getConfig } from "../../../lib/config";
import { broadcastEvent } from "../../../lib/contracts";
import { ForbiddenError } from "../../../lib/errors";
import type { IdentityThis } from "./identity.context";

/**
 * Marks sessions revoked and tells every gateway, which refuses their
 * access tokens from now on (not only once they expire).
 */
export async function revokeSessions(svc: IdentityThis, sessionIds: string[], reason: string): Promise<void> {
  await svc.sessionManager.revoke(sessionIds, reason);
  if (sessionIds.length === 0) return;
  const ttl = getConfig().auth.accessTokenTtlS;
  await broadcastEvent(svc.broker, "identity.sessions.revoked", {
    sessionIds,
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
  });
}

/** With Keycloak (OIDC_ISSUER) accounts live there: local tokens would not even verify at the gateway. */
export function assertBuiltInIssuer(): void {
  if (usesExternalIssuer(getConfig()))
    throw new ForbiddenError("Accounts are managed by the external identity provider");
}
