/** The built-in issuer's public face: JWKS, OIDC discovery, and rotating the signing key. */
import { builtInIssuer } from "../../../lib/auth/issuer";
import { requireRole } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { broadcastEvent, type ActionContext } from "../../../lib/contracts";
import { setResponseHeaders } from "../../../lib/http/response-meta";
import type { IdentityThis } from "./identity.context";
import type { OpenIdConfiguration } from "./identity.contract";
import type { PublicJwk } from "./signing-keys";

/** Public signing keys (current + previous) for token verification. */
export async function jwks(svc: IdentityThis, ctx: ActionContext<"identity.jwks">): Promise<{ keys: PublicJwk[] }> {
  // HTTP clients may cache it briefly: a rotated-out key stays published as "previous".
  setResponseHeaders(ctx, { "Cache-Control": "public, max-age=300" });
  return svc.keys.jwks();
}

/** OIDC discovery document, so standard clients find the JWKS. */
export function openidConfiguration(): OpenIdConfiguration {
  const issuer = builtInIssuer(getConfig());
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    token_endpoint: `${issuer}/login`,
    id_token_signing_alg_values_supported: ["EdDSA"],
    subject_types_supported: ["public"],
  };
}

/** Admin: rotate the signing key now (the old one stays published as previous). */
export async function rotateKeys(
  svc: IdentityThis,
  ctx: ActionContext<"identity.rotateKeys">,
): Promise<{ kid: string }> {
  requireRole(ctx, "admin");
  const kid = (await svc.keys.rotate()) as string;
  await broadcastEvent(svc.broker, "identity.keys.rotated", { currentKid: kid });
  return { kid };
}
