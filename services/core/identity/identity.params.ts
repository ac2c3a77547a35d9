/** fastest-validator schemas of every identity action, with the params type each one yields. */
import { GRANTABLE_ROLES, type GrantableRole } from "../../../lib/auth/auth-user";
import { ID, IDS } from "../../../lib/validation";
import { USERNAME_PATTERN } from "./accounts";

const PASSWORD = { type: "string", min: 1, max: 256 } as const;
const TOTP_CODE = { type: "string", pattern: "^[0-9]{6}$" } as const;

export const NONE = {} as const;
export type NoParams = Record<string, never>;

export const REGISTER = {
  email: { type: "email", max: 254 },
  username: { type: "string", pattern: USERNAME_PATTERN },
  password: PASSWORD,
} as const;
export interface RegisterParams {
  email: string;
  username: string;
  password: string;
}

export const LOGIN = {
  login: { type: "string", min: 1, max: 254 },
  password: PASSWORD,
  totpCode: { ...TOTP_CODE, optional: true },
} as const;
export interface LoginParams {
  login: string;
  password: string;
  totpCode?: string;
}

export const REFRESH = { refreshToken: { type: "string", min: 20, max: 200 } } as const;
export interface RefreshParams {
  refreshToken: string;
}

export const CHANGE_PASSWORD = { currentPassword: PASSWORD, newPassword: PASSWORD } as const;
export interface ChangePasswordParams {
  currentPassword: string;
  newPassword: string;
}

export const MFA_CODE = { code: TOTP_CODE } as const;
export interface MfaCodeParams {
  code: string;
}

export const MFA_DISABLE = { password: PASSWORD, code: TOTP_CODE } as const;
export interface MfaDisableParams {
  password: string;
  code: string;
}

/** The one list of roles that are granted: admins (addRole/removeRole) and the platform (grantRole) use it. */
export const ROLE_CHANGE = { userId: ID, role: { type: "enum", values: [...GRANTABLE_ROLES] } } as const;
export interface RoleParams {
  userId: string;
  role: GrantableRole;
}

export const BY_ID = { id: ID } as const;
export interface ByIdParams {
  id: string;
}

/** Deleting one's own account re-proves possession: the password, and a one-time code when MFA is on. */
export const DELETE_ACCOUNT = { password: PASSWORD, totpCode: { ...TOTP_CODE, optional: true } } as const;
export interface DeleteAccountParams {
  password: string;
  totpCode?: string;
}

export const BY_USERS = { userIds: IDS } as const;
export interface ByUsersParams {
  userIds: string[];
}

export const BY_USER = { userId: ID } as const;
export interface ByUserParams {
  userId: string;
}

const LINK_TOKEN = { type: "string", min: 20, max: 200 } as const;

export const VERIFY_EMAIL = { token: LINK_TOKEN } as const;
export interface VerifyEmailParams {
  token: string;
}

/** An email change re-proves the password; the new address is proven by the link sent to it. */
export const CHANGE_EMAIL = { newEmail: { type: "email", max: 254 }, password: PASSWORD } as const;
export interface ChangeEmailParams {
  newEmail: string;
  password: string;
}

export const FORGOT_PASSWORD = { email: { type: "email", max: 254 } } as const;
export interface ForgotPasswordParams {
  email: string;
}

export const RESET_PASSWORD = { token: LINK_TOKEN, newPassword: PASSWORD } as const;
export interface ResetPasswordParams {
  token: string;
  newPassword: string;
}

/** Batched role lookup (chat deciding about a target, badges). */
export const USER_ROLES = { userIds: { type: "array", items: ID, min: 1, max: 100 } } as const;
export interface UserRolesParams {
  userIds: string[];
}

export const SUSPEND = {
  userId: ID,
  reason: { type: "string", min: 1, max: 500 },
  reportId: { ...ID, optional: true },
  $$strict: "remove",
} as const;
export interface SuspendParams {
  userId: string;
  reason: string;
  /** The abuse report the suspension acts on. */
  reportId?: string;
}

export const UNSUSPEND = { userId: ID, $$strict: "remove" } as const;
