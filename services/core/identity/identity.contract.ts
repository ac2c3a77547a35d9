/**
 * The actions the identity service offers (name → params and result), as
 * the gateway, the realtime gateway and other services call them through
 * `callAction`. identity.service.ts is checked against it with
 * `satisfies ServiceActions<"identity", IdentityThis>`.
 */
import type { Role } from "../../../lib/auth/auth-user";
import type { SessionsRevoked } from "./identity.events";
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { AccountDeleted } from "./account-deletion";
import type { AccountExport, IdentityUserData } from "./account-export";
import type { SuspensionState, SuspensionStatus } from "./suspension";
import type {
  ByIdParams,
  ByUserParams,
  ByUsersParams,
  ChangeEmailParams,
  ForgotPasswordParams,
  ResetPasswordParams,
  UserRolesParams,
  VerifyEmailParams,
  DeleteAccountParams,
  ChangePasswordParams,
  LoginParams,
  MfaCodeParams,
  MfaDisableParams,
  NoParams,
  RefreshParams,
  RegisterParams,
  RoleParams,
  SuspendParams,
} from "./identity.params";
import type { PublicJwk } from "./signing-keys";
import type { TokenPair } from "./token-pair";

export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  /** False until the link mailed at registration is opened. */
  emailVerified: boolean;
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

/** 202 for work whose outcome the answer must not tell (mail sent or not). */
export interface Accepted {
  accepted: true;
}

export interface EmailVerified {
  userId: string;
  email: string;
  emailVerified: true;
}

/** A user's global roles (viewer, creator, editor, organizer, admin). */
export interface UserRoles {
  userId: string;
  roles: Role[];
}

/** A user's roles with their version (see UserRolesChanged), so a cache can order a fetch's answer against events. */
export interface VersionedUserRoles extends UserRoles {
  version: number;
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
    /** Global roles of other users (unknown ids left out); cached by callers, refreshed by user.roles.changed. */
    "identity.userRoles": { params: UserRolesParams; result: { items: VersionedUserRoles[] } };
    /** GET /users/:userId/roles: one user's global roles, for badges (an unknown user has none). */
    "identity.roles": { params: ByUserParams; result: UserRoles };
    "identity.addRole": { params: RoleParams; result: { userId: string; roles: Role[] } };
    "identity.removeRole": { params: RoleParams; result: { userId: string; roles: Role[] } };
    "identity.sessions": { params: NoParams; result: { items: SessionView[] } };
    "identity.revokeSession": { params: ByIdParams; result: { revoked: boolean } };
    /** DELETE /me: password (+ one-time code with MFA) re-check, then user.deleted. */
    "identity.deleteAccount": { params: DeleteAccountParams; result: AccountDeleted };
    /** GET /me/export: the caller's data from every service that holds some. */
    "identity.exportAccount": { params: NoParams; result: AccountExport };
    /** Internal: what identity holds of a user (account without secrets, sessions). */
    "identity.exportUserData": { params: UserDataParams; result: IdentityUserData };
    /** Admin: deletes another user's account; user.deleted. */
    "identity.deleteUser": { params: ByUserParams; result: AccountDeleted };
    /** Admin (moderation calls it and writes the audit row): suspends a user; publishes user.suspended. */
    "identity.suspendUser": { params: SuspendParams; result: SuspensionStatus };
    /** Admin: lifts a suspension; publishes user.unsuspended. */
    "identity.unsuspendUser": { params: ByUserParams; result: SuspensionStatus };
    /** Internal (search's reindex): state and version of the users' suspensions (never suspended: left out). */
    "identity.suspensions": { params: ByUsersParams; result: { items: SuspensionState[] } };
    /** Admin: whether a user is suspended, and why. */
    "identity.suspension": { params: ByUserParams; result: SuspensionStatus };
    /** The link mailed at registration or for an email change. */
    "identity.verifyEmail": { params: VerifyEmailParams; result: EmailVerified };
    "identity.resendVerification": { params: NoParams; result: Accepted };
    /** Password re-check; the change happens when the link sent to the new address is opened. */
    "identity.changeEmail": { params: ChangeEmailParams; result: Accepted };
    /** Same answer for any address; a reset link goes out only if it has an account. */
    "identity.requestPasswordReset": { params: ForgotPasswordParams; result: Accepted };
    /** Single-use link + new password; ends every session of the account. */
    "identity.resetPassword": { params: ResetPasswordParams; result: RevokedSessionsCount };
  }
}
