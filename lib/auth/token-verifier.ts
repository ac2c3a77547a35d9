import type { AuthUser } from "./auth-user";

/**
 * What the REST gateway and the realtime node both use to turn a bearer token
 * into a user. One implementation (jwt-verifier.ts) serves the built-in
 * issuer and Keycloak alike: only the JWKS source and claim mapping differ.
 */
export interface TokenVerifier {
  /** Resolves the user or throws UnauthorizedError with a reason. */
  verify(token: string): Promise<AuthUser>;
}
