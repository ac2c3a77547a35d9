/**
 * The actions the identity service offers (name → params and result), as
 * the gateway, the realtime gateway and other services call them through
 * `callAction`. identity.service.ts is checked against it with
 * `satisfies ServiceActions<"identity", IdentityThis>`.
 */
import type { Role } from "../../../lib/auth/auth-user";
import type { SessionsRevoked } from "./identity.events";
import type {
  ByIdParams,
  ChangePasswordParams,
  LoginParams,
  MfaCodeParams,
  MfaDisableParams,
  NoParams,
  RefreshParams,
  RegisterParams,
  RoleParams,
} from "./identity.params";
import type { PublicJwk } from "./signing-keys";
import type { TokenPair } from "./token-pair";

export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  roles: Role[];
}

export interface SessionView {
  id: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** The OIDC discovery document of the built-in issuer. */
export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  id_token_signing_alg_values_supported: string[];
  subject_types_supported: string[];
}

export interface RevokedSessionsCount {
  revokedSessions: number;
}

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Creates a local account (built-in issuer); does not log in. */
    "identity.register": { params: RegisterParams; result: RegisteredUser };
    "identity.login": { params: LoginParams; result: TokenPair };
    "identity.refresh": { params: RefreshParams; result: TokenPair };
    "identity.logout": { params: NoParams; result: { revoked: boolean } };
    "identity.logoutAll": { params: NoParams; result: RevokedSessionsCount };
    "identity.changePassword": { params: ChangePasswordParams; result: RevokedSessionsCount };
    "identity.mfaSetup": { params: NoParams; result: { secret: string; otpauthUri: string } };
    "identity.mfaEnable": { params: MfaCodeParams; result: { mfaEnabled: true } };
    "identity.mfaDisable": { params: MfaDisableParams; result: { mfaEnabled: false } };
    /** Public signing keys (current + previous): gateways verify tokens with them. */
    "identity.jwks": { params: NoParams; result: { keys: PublicJwk[] } };
    "identity.openidConfiguration": { params: NoParams; result: OpenIdConfiguration };
    "identity.rotateKeys": { params: NoParams; result: { kid: string } };
    /** Internal: sessions revoked recently enough to matter, for a gateway warming its cache. */
    "identity.revokedSessions": { params: NoParams; result: SessionsRevoked };
    /** Internal: adds a role to a local account (no admin check: for the platform and tests). */
    "identity.grantRole": { params: RoleParams; result: { roles: Role[] } };
    "identity.addRole": { params: RoleParams; result: { userId: string; roles: Role[] } };
    "identity.removeRole": { params: RoleParams; result: { userId: string; roles: Role[] } };
    "identity.sessions": { params: NoParams; result: { items: SessionView[] } };
    "identity.revokeSession": { params: ByIdParams; result: { revoked: boolean } };
  }
}
