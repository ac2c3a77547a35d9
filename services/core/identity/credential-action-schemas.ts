/**
 * identity's actions on a local account's credentials, wired as the service
 * declares them (validator params, then the handler): registering, signing
 * in and out, password and MFA changes, and the mailed links that verify an
 * address or reset a password. Kept out of identity.service.ts so that file
 * stays a short wiring of groups; the logic is in the files imported here.
 */
import type { ServiceActions } from "../../../lib/contracts";
import { changePassword, mfaDisable, mfaEnable, mfaSetup, register } from "./account-actions";
import { changeEmail, requestPasswordReset, resendVerification, resetPassword, verifyEmail } from "./email-actions";
import type { IdentityThis } from "./identity.context";
import * as P from "./identity.params";
import { login, logout, logoutAll, refresh } from "./login-actions";

export const CREDENTIAL_ACTIONS = {
  /** Creates a local account (built-in issuer). Does not log in. */
  register: {
    params: P.REGISTER,
    handler(ctx) {
      return register(this, ctx);
    },
  },

  /** Password (+ TOTP when enabled) → access token and refresh token. */
  login: {
    params: P.LOGIN,
    handler(ctx) {
      return login(this, ctx);
    },
  },

  /** Rotates the refresh token; a reused one revokes its whole session. */
  refresh: {
    params: P.REFRESH,
    handler(ctx) {
      return refresh(this, ctx);
    },
  },

  /** Ends the caller's session (the `sid` of the access token). */
  logout: {
    params: P.NONE,
    handler(ctx) {
      return logout(this, ctx);
    },
  },

  /** Ends every session of the caller. */
  logoutAll: {
    params: P.NONE,
    handler(ctx) {
      return logoutAll(this, ctx);
    },
  },

  /** Changes the password and ends every other session. */
  changePassword: {
    params: P.CHANGE_PASSWORD,
    handler(ctx) {
      return changePassword(this, ctx);
    },
  },

  /** Starts TOTP enrolment: returns the secret once, to put in an authenticator app. */
  mfaSetup: {
    params: P.NONE,
    handler(ctx) {
      return mfaSetup(this, ctx);
    },
  },

  /** Confirms enrolment with a first code; from now on login needs a code. */
  mfaEnable: {
    params: P.MFA_CODE,
    handler(ctx) {
      return mfaEnable(this, ctx);
    },
  },

  mfaDisable: {
    params: P.MFA_DISABLE,
    handler(ctx) {
      return mfaDisable(this, ctx);
    },
  },

  /** Confirms an address with the link mailed to it (registration or email change). */
  verifyEmail: {
    params: P.VERIFY_EMAIL,
    handler(ctx) {
      return verifyEmail(this, ctx);
    },
  },

  /** Mails a new verification link for the caller's unverified address. */
  resendVerification: {
    params: P.NONE,
    handler(ctx) {
      return resendVerification(this, ctx);
    },
  },

  /** Password re-check, then a verification link to the new address. */
  changeEmail: {
    params: P.CHANGE_EMAIL,
    handler(ctx) {
      return changeEmail(this, ctx);
    },
  },

  /** Mails a reset link if the address has an account; the same answer either way. */
  requestPasswordReset: {
    params: P.FORGOT_PASSWORD,
    handler(ctx) {
      return requestPasswordReset(this, ctx);
    },
  },

  /** New password with a single-use reset link; ends every session. */
  resetPassword: {
    params: P.RESET_PASSWORD,
    handler(ctx) {
      return resetPassword(this, ctx);
    },
  },
} satisfies Partial<ServiceActions<"identity", IdentityThis>>;
