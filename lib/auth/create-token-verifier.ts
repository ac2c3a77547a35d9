import type { ServiceBroker } from "moleculer";
import { getConfig, type ArenaConfig } from "../config";
import { expectedIssuer, usesExternalIssuer } from "./issuer";
import { JwksCache } from "./jwks-cache";
import { brokerJwksFetcher, httpJwksFetcher, keycloakJwksUrl } from "./jwks-sources";
import { JwtVerifier } from "./jwt-verifier";
import { VerifiedTokenCache } from "./verified-token-cache";

export interface TokenVerifierOverrides {
  /** Defaults to getConfig(). */
  config?: ArenaConfig;
  /** Defaults to 30s: how often an unknown kid may trigger a JWKS refetch. */
  minRefetchIntervalMs?: number;
}

/**
 * The verifier both gateways use. JWKS source: OIDC_JWKS_URL when set, else
 * Keycloak's certs endpoint under OIDC_ISSUER, else (built-in issuer) the
 * `identity.jwks` action over the broker.
 */
export function createTokenVerifier(broker: ServiceBroker, overrides: TokenVerifierOverrides = {}): JwtVerifier {
  const config = overrides.config ?? getConfig();
  const external = usesExternalIssuer(config);
  const jwksUrl = config.auth.jwksUrl ?? (external ? keycloakJwksUrl(expectedIssuer(config)) : undefined);
  const fetchKeys = jwksUrl ? httpJwksFetcher(jwksUrl) : brokerJwksFetcher(broker);
  return new JwtVerifier({
    issuer: expectedIssuer(config),
    audience: config.auth.audience,
    algorithms: config.auth.algorithms,
    flavor: external ? "keycloak" : "builtin",
    keys: new JwksCache({ fetchKeys, minRefetchIntervalMs: overrides.minRefetchIntervalMs }),
    cache: tokenCache(config),
  });
}

/** AUTH_TOKEN_CACHE_SIZE verified tokens for up to AUTH_TOKEN_CACHE_TTL_S each (0 for either: verify every time). */
function tokenCache(config: ArenaConfig): VerifiedTokenCache | undefined {
  const { tokenCacheSize, tokenCacheTtlS } = config.auth;
  if (tokenCacheSize <= 0 || tokenCacheTtlS <= 0) return undefined;
  return new VerifiedTokenCache({ maxEntries: tokenCacheSize, ttlMs: tokenCacheTtlS * 1000 });
}
