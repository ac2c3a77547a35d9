/**
 * identity: the built-in OIDC-style issuer (local accounts, sessions with
 * rotating refresh tokens, TOTP, lockout, signing keys with rotation and a
 * JWKS), global roles, and the revocation broadcasts gateways act on. With
 * Keycloak (OIDC_ISSUER) accounts live there and only roles and revocations
 * matter here. Domain logic lives in the neighbouring files; this file
 * wires actions, events and lifecycle.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { deleteAccount, deleteUser } from "./account-deletion";
import { exportAccount, exportUserData } from "./account-export";
import { USER_DATA_PARAMS } from "../../../lib/contracts/user-data";
import { changePassword, mfaDisable, mfaEnable, mfaSetup, register } from "./account-actions";
import type { IdentityThis } from "./identity.context";
import { IDENTITY_DB } from "./identity.entities";
import * as P from "./identity.params";
import { changeEmail, requestPasswordReset, resendVerification, resetPassword, verifyEmail } from "./email-actions";
import { createMailer } from "../../../lib/mail";
import { jwks, openidConfiguration, rotateKeys } from "./key-actions";
import { KeyManager } from "./key-manager";
import { login, logout, logoutAll, refresh } from "./login-actions";
import { addRole, grantRole, removeRole, roleConsumers, roles, userRoles } from "./role-actions";
import { listSessions, recentlyRevokedSessions, revokeSession } from "./session-actions";
import { SessionManager } from "./sessions";
import "./identity.contract";
import "./identity.events";
import { grantListedAdmins } from "./listed-admins";
import { DEFAULT_MAIL_OUTBOX, mailOutboxSettings, MailWorker } from "./mail-outbox";
import { startHourlyUpkeep } from "./hourly-upkeep";
import { getSuspension, suspendUser, suspensionStates, unsuspendUser } from "./suspension";

export type { IdentityThis } from "./identity.context";

const IdentityService: ServiceSchema = {
  name: "identity",
  mixins: [DbMixin(IDENTITY_DB), DurableEventsMixin()],

  settings: {
    mailOutbox: DEFAULT_MAIL_OUTBOX,
  },

  actions: {
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

    /** Public signing keys (current + previous) for token verification. */
    jwks: {
      params: P.NONE,
      handler(ctx) {
        return jwks(this, ctx);
      },
    },

    /** OIDC discovery document, so standard clients find the JWKS. */
    openidConfiguration: {
      params: P.NONE,
      handler() {
        return openidConfiguration();
      },
    },

    /** Admin: rotate the signing key now (the old one stays published as previous). */
    rotateKeys: {
      params: P.NONE,
      handler(ctx) {
        return rotateKeys(this, ctx);
      },
    },

    /** Internal: sessions revoked recently enough to matter, for a gateway warming its cache. */
    revokedSessions: {
      visibility: "public" as const,
      params: P.NONE,
      handler() {
        return recentlyRevokedSessions(this);
      },
    },

    /** Internal: adds a role to a local account (no admin check). */
    grantRole: {
      visibility: "public" as const,
      params: P.ROLE_CHANGE,
      handler(ctx) {
        return grantRole(this, ctx);
      },
    },

    /** Global roles of other users, batched: chat (who may be banned) and badges. */
    userRoles: {
      visibility: "public" as const,
      params: P.USER_ROLES,
      handler(ctx) {
        return userRoles(this, ctx);
      },
    },

    /** One user's global roles (GET /users/:userId/roles, for badges). */
    roles: {
      params: P.BY_USER,
      handler(ctx) {
        return roles(this, ctx);
      },
    },

    /** Admin: grants a global role (arrives with the user's next token). */
    addRole: {
      params: P.ROLE_CHANGE,
      handler(ctx) {
        return addRole(this, ctx);
      },
    },

    /** Admin: removes a global role and ends the user's sessions. */
    removeRole: {
      params: P.ROLE_CHANGE,
      handler(ctx) {
        return removeRole(this, ctx);
      },
    },

    /** The caller's sessions that can still refresh. */
    sessions: {
      params: P.NONE,
      handler(ctx) {
        return listSessions(this, ctx);
      },
    },

    /** Ends one of the caller's sessions. */
    revokeSession: {
      params: P.BY_ID,
      handler(ctx) {
        return revokeSession(this, ctx);
      },
    },

    /** Deletes the caller's account (password and, with MFA, a code); publishes user.deleted. */
    deleteAccount: {
      params: P.DELETE_ACCOUNT,
      handler(ctx) {
        return deleteAccount(this, ctx);
      },
    },

    /** Admin: deletes another user's account; publishes user.deleted. */
    deleteUser: {
      params: P.BY_USER,
      handler(ctx) {
        return deleteUser(this, ctx);
      },
    },

    /** Internal (moderation's routes, which audit it): an admin suspends a user. */
    suspendUser: {
      visibility: "public" as const,
      params: P.SUSPEND,
      handler(ctx) {
        return suspendUser(this, ctx);
      },
    },

    /** Internal (moderation's routes, which audit it): an admin lifts a suspension. */
    unsuspendUser: {
      visibility: "public" as const,
      params: P.UNSUSPEND,
      handler(ctx) {
        return unsuspendUser(this, ctx);
      },
    },

    /** Internal (search's reindex): suspension state and version of the users that ever had one. */
    suspensions: {
      params: P.BY_USERS,
      handler(ctx) {
        return suspensionStates(this, ctx);
      },
    },

    /** Internal: an admin reads a user's suspension. */
    suspension: {
      visibility: "public" as const,
      params: P.BY_USER,
      handler(ctx) {
        return getSuspension(this, ctx);
      },
    },

    /** The caller's data from every service, as one JSON archive. */
    exportAccount: {
      params: P.NONE,
      handler(ctx) {
        return exportAccount(this, ctx);
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

    /** Internal: what identity holds of a user, for the export. */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(ctx) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"identity", IdentityThis>,

  events: {
    ...onEvent("identity.keys.rotated", function (this: IdentityThis) {
      this.keys.invalidate();
    }),
  },

  channels: roleConsumers,

  // Lifecycle handlers are typed with moleculer's plain Service `this`.
  created(this: Service) {
    const svc = this as IdentityThis;
    const config = getConfig();
    svc.mailer = createMailer(config, svc.logger);
    svc.pendingMail = new Set();
    svc.keys = new KeyManager(svc.stores.signingKeys, svc.db, config.auth.keyEncryptionSecret);
    svc.sessionManager = new SessionManager(
      svc.stores.sessions,
      svc.stores.refreshTokens,
      svc.db,
      config.auth.refreshTokenTtlS,
    );
  },

  async started(this: Service) {
    const svc = this as IdentityThis;
    await svc.keys.ensureCurrent();
    await grantListedAdmins(svc);
    const mailWorker = new MailWorker(svc, mailOutboxSettings(svc));
    svc.mailWorker = mailWorker;
    mailWorker.start();
    startHourlyUpkeep(svc);
  },

  async stopped(this: Service) {
    const svc = this as IdentityThis;
    if (svc.rotationTimer) clearInterval(svc.rotationTimer);
    await Promise.allSettled([...svc.pendingMail]);
    // Mail still queued stays in the outbox: the next identity node to start sends it.
    await svc.mailWorker?.stop();
    svc.mailer.close();
  },
};

export default IdentityService;
