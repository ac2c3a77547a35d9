import type { AuthUser } from "../../../lib/auth/auth-user";
import { builtInIssuer } from "../../../lib/auth/issuer";
import type { ArenaConfig } from "../../../lib/config";
import type { AccountDoc } from "./identity.entities";
import { signAccessToken } from "./access-token";
import type { SigningMaterial } from "./key-manager";

/** What login and refresh return (OAuth 2 token response field names). */
export interface TokenPair {
  tokenType: "Bearer";
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: Pick<AuthUser, "id" | "username" | "roles">;
}

export async function issueTokenPair(
  config: ArenaConfig,
  signing: SigningMaterial,
  account: AccountDoc,
  sessionId: string,
  refreshToken: string,
): Promise<TokenPair> {
  const { token } = await signAccessToken({
    issuer: builtInIssuer(config),
    audience: config.auth.audience,
    ttlS: config.auth.accessTokenTtlS,
    userId: account.id,
    username: account.username,
    roles: account.roles,
    sessionId,
    kid: signing.kid,
    alg: signing.alg,
    key: signing.key,
  });
  return {
    tokenType: "Bearer",
    accessToken: token,
    expiresIn: config.auth.accessTokenTtlS,
    refreshToken,
    refreshExpiresIn: config.auth.refreshTokenTtlS,
    user: { id: account.id, username: account.username, roles: account.roles },
  };
}
