import type { JWK } from "jose";
import type { ServiceBroker } from "moleculer";
import { callAction } from "../contracts";

/** Where the issuer's public keys come from: an HTTP JWKS endpoint (Keycloak) or the identity service. */
export function httpJwksFetcher(url: string, timeoutMs = 5000): () => Promise<{ keys: JWK[] }> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`JWKS fetch from ${url} failed with HTTP ${res.status}`);
    return (await res.json()) as { keys: JWK[] };
  };
}

/** Built-in issuer: the identity service publishes its current and previous public keys. */
export function brokerJwksFetcher(broker: ServiceBroker): () => Promise<{ keys: JWK[] }> {
  return () => callAction(broker, "identity.jwks", {});
}

/** Keycloak publishes its realm keys here when OIDC_JWKS_URL is not given. */
export function keycloakJwksUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/protocol/openid-connect/certs`;
}
