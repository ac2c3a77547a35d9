import type { ArenaConfig } from "../config";

/**
 * The `iss` of tokens Arena accepts. With OIDC_ISSUER set that is Keycloak;
 * otherwise the identity service's built-in issuer, named after the public
 * URL so the same value works for every node of a cluster.
 */
export function builtInIssuer(config: ArenaConfig): string {
  return `${config.publicUrl.replace(/\/+$/, "")}/api/v1/auth`;
}

export function expectedIssuer(config: ArenaConfig): string {
  return config.auth.issuer ?? builtInIssuer(config);
}

/** True when tokens come from an external OIDC provider (Keycloak). */
export function usesExternalIssuer(config: ArenaConfig): boolean {
  return config.auth.issuer !== undefined;
}
