import type { Context, Service, ServiceSchema } from "moleculer";
import { join } from "node:path";
import type { ArenaMeta, Role } from "../../../lib/auth/auth-user";
import { builtInIssuer, usesExternalIssuer } from "../../../lib/auth/issuer";
import { DEFAULT_CLOCK_TOLERANCE_S } from "../../../lib/auth/jwt-verifier";
import { requireRole, requireUser } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { ForbiddenError, UnauthorizedError } from "../../../lib/errors";
import { DbMixin } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS, DurableEventsMixin, durableHandler } from "../../../mixins/durable-events";
import { markCreated, type CoreServiceThis } from "../core-service";
import { authenticate, changeRoles, createAccount, USERNAME_PATTERN, type AccountDoc } from "./accounts";
import { KEYS_ROTATED_EVENT, SESSIONS_REVOKED_EVENT, type KeysRotated, type SessionsRevoked } from "./identity.events";
import { IDENTITY_ENTITIES } from "./identity.entities";
import { KeyManager, type SigningKeyDoc } from "./key-manager";
import { roleActions } from "./role-actions";
import { sessionActions } from "./session-actions";
import { changePassword, confirmMfa, disableMfa, startMfaSetup } from "./account-security";
import { SessionManager, type RefreshTokenDoc, type SessionDoc } from "./sessions";
import { issueTokenPair, type TokenPair } from "./token-pair";

type IdentityModels = {
  accounts: AccountDoc;
  sessions: SessionDoc;
  refreshTokens: RefreshTokenDoc;
  signingKeys: SigningKeyDoc;
};
export type IdentityThis = CoreServiceThis<IdentityModels> & {
  keys: KeyManager;
  sessionManager: SessionManager;
  rotationTimer?: NodeJS.Timeout;
  revokeSessions(sessionIds: string[], reason: string): Promise<void>;
  tokensFor(account: AccountDoc, sessionId: string, refreshToken: string): Promise<TokenPair>;
};

export interface RegisterParams {
  email: string;
  username: string;
  password: string;
}
export interface LoginParams {
  login: string;
  password: string;
  totpCode?: string;
}
export interface RefreshParams {
  refreshToken: string;
}
export interface ChangePasswordParams {
  currentPassword: string;
  newPassword: string;
}
export interface MfaCodeParams {
  code: string;
}
export interface MfaDisableParams {
  password: string;
  code: string;
}
export interface GrantRoleParams {
  userId: string;
  role: Role;
}
export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  roles: Role[];
}

type Ctx<P> = Context<P, ArenaMeta>;
const PASSWORD = { type: "string", min: 1, max: 256 } as const;
const TOTP_CODE = { type: "string", pattern: "^[0-9]{6}$" } as const;
const ROTATION_CHECK_MS = 60 * 60 * 1000;
/** Ended sessions stay (listed as revoked to gateways) until their last access token, clock skew included, has expired. */
const SESSION_KEEP_AFTER_END_S = (): number => getConfig().auth.accessTokenTtlS + 2 * DEFAULT_CLOCK_TOLERANCE_S + 60;

/** With Keycloak (OIDC_ISSUER) accounts live there: local tokens would not even verify at the gateway. */
function assertBuiltInIssuer(): void {
  if (usesExternalIssuer(getConfig()))
    throw new ForbiddenError("Accounts are managed by the external identity provider");
}

const IdentityService: ServiceSchema = {
  name: "identity",
  mixins: [
    DbMixin({
      schema: "identity",
      primary: "accounts",
      entities: IDENTITY_ENTITIES,
      migrations: [{ name: "identity", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
    }),
    DurableEventsMixin(),
  ],

  actions: {
    /** Creates a local account (built-in issuer). Does not log in. */
    register: {
      params: {
        email: { type: "email", max: 254 },
        username: { type: "string", pattern: USERNAME_PATTERN },
        password: PASSWORD,
      },
      async handler(this: IdentityThis, ctx: Ctx<RegisterParams>): Promise<RegisteredUser> {
        assertBuiltInIssuer();
        // Usernames are unique case-insensitively (stored lower-cased); the profile keeps the case the user chose.
        const displayName = ctx.params.username.trim();
        const account = await this.db.transaction(async () => {
          const created = await createAccount(this.stores.accounts, ctx.params);
          await this.publishDurable("user.registered", {
            userId: created.id,
            username: created.username,
            displayName,
            email: created.email,
            source: "local",
            registeredAt: created.createdAt.toISOString(),
          });
          return created;
        });
        // The profile also follows from user.registered; creating it now means
        // the new user can read it back at once. Failure here is harmless.
        await ctx
          .call("users.provision", { id: account.id, username: account.username, displayName, email: account.email })
          .catch((err: Error) => {
            this.logger.warn(
              "users.provision failed; the user.registered consumer will create the profile",
              err.message,
            );
          });
        markCreated(ctx);
        return { id: account.id, username: account.username, email: account.email, roles: account.roles };
      },
    },

    /** Password (+ TOTP when enabled) → access token and refresh token. */
    login: {
      params: {
        login: { type: "string", min: 1, max: 254 },
        password: PASSWORD,
        totpCode: { ...TOTP_CODE, optional: true },
      },
      async handler(this: IdentityThis, ctx: Ctx<LoginParams>): Promise<TokenPair> {
        assertBuiltInIssuer();
        const account = await authenticate(this.stores.accounts, ctx.params, getConfig().auth.keyEncryptionSecret);
        const { session, refreshToken } = await this.sessionManager.open(account.id);
        return this.tokensFor(account, session.id, refreshToken);
      },
    },

    /** Rotates the refresh token; a reused one revokes its whole session. */
    refresh: {
      params: { refreshToken: { type: "string", min: 20, max: 200 } },
      async handler(this: IdentityThis, ctx: Ctx<RefreshParams>): Promise<TokenPair> {
        const outcome = await this.sessionManager.refresh(ctx.params.refreshToken);
        if (outcome.kind === "reuse") {
          await this.revokeSessions([outcome.sessionId], "refresh token reuse");
          this.logger.warn(`Refresh token reuse detected; session ${outcome.sessionId} revoked`);
          throw new UnauthorizedError("Refresh token already used; session revoked");
        }
        if (outcome.kind === "rejected") throw new UnauthorizedError(`Refresh token ${outcome.reason}`);
        const account = await this.stores.accounts.findById(outcome.session.userId);
        if (!account) throw new UnauthorizedError("Account no longer exists");
        return this.tokensFor(account, outcome.session.id, outcome.refreshToken);
      },
    },

    /** Ends the caller's session (the `sid` of the access token). */
    logout: {
      params: {},
      async handler(this: IdentityThis, ctx: Ctx<Record<string, never>>): Promise<{ revoked: boolean }> {
        const user = requireUser(ctx);
        if (!user.sessionId) return { revoked: false };
        const session = await this.sessionManager.findSession(user.sessionId);
        if (!session || session.userId !== user.id) return { revoked: false };
        await this.revokeSessions([user.sessionId], "logout");
        return { revoked: true };
      },
    },

    /** Ends every session of the caller. */
    logoutAll: {
      params: {},
      async handler(this: IdentityThis, ctx: Ctx<Record<string, never>>): Promise<{ revokedSessions: number }> {
        const user = requireUser(ctx);
        const ids = await this.sessionManager.revokeAllOfUser(user.id, "logout all");
        await this.revokeSessions(ids, "logout all");
        return { revokedSessions: ids.length };
      },
    },

    /** Changes the password and ends every other session. */
    changePassword: {
      params: { currentPassword: PASSWORD, newPassword: PASSWORD },
      async handler(this: IdentityThis, ctx: Ctx<ChangePasswordParams>): Promise<{ revokedSessions: number }> {
        const user = requireUser(ctx);
        await changePassword(this.stores.accounts, user.id, ctx.params);
        const ids = await this.sessionManager.revokeAllOfUser(user.id, "password changed", user.sessionId);
        await this.revokeSessions(ids, "password changed");
        return { revokedSessions: ids.length };
      },
    },

    /** Starts TOTP enrolment: returns the secret once, to put in an authenticator app. */
    mfaSetup: {
      params: {},
      async handler(
        this: IdentityThis,
        ctx: Ctx<Record<string, never>>,
      ): Promise<{ secret: string; otpauthUri: string }> {
        return startMfaSetup(this.stores.accounts, requireUser(ctx).id, getConfig().auth.keyEncryptionSecret);
      },
    },

    /** Confirms enrolment with a first code; from now on login needs a code. */
    mfaEnable: {
      params: { code: TOTP_CODE },
      async handler(this: IdentityThis, ctx: Ctx<MfaCodeParams>): Promise<{ mfaEnabled: true }> {
        await confirmMfa(
          this.stores.accounts,
          requireUser(ctx).id,
          ctx.params.code,
          getConfig().auth.keyEncryptionSecret,
        );
        return { mfaEnabled: true };
      },
    },

    mfaDisable: {
      params: { password: PASSWORD, code: TOTP_CODE },
      async handler(this: IdentityThis, ctx: Ctx<MfaDisableParams>): Promise<{ mfaEnabled: false }> {
        await disableMfa(this.stores.accounts, requireUser(ctx).id, ctx.params, getConfig().auth.keyEncryptionSecret);
        return { mfaEnabled: false };
      },
    },

    /** Public signing keys (current + previous) for token verification. */
    jwks: {
      params: {},
      async handler(this: IdentityThis, ctx: Ctx<Record<string, never>>) {
        // HTTP clients may cache it briefly: a rotated-out key stays published as "previous".
        (ctx.meta as { $responseHeaders?: Record<string, string> }).$responseHeaders = {
          "Cache-Control": "public, max-age=300",
        };
        return this.keys.jwks();
      },
    },

    /** OIDC discovery document, so standard clients find the JWKS. */
    openidConfiguration: {
      params: {},
      handler(): Record<string, unknown> {
        const config = getConfig();
        const issuer = builtInIssuer(config);
        return {
          issuer,
          jwks_uri: `${issuer}/jwks`,
          token_endpoint: `${issuer}/login`,
          id_token_signing_alg_values_supported: ["EdDSA"],
          subject_types_supported: ["public"],
        };
      },
    },

    /** Admin: rotate the signing key now (the old one stays published as previous). */
    rotateKeys: {
      params: {},
      async handler(this: IdentityThis, ctx: Ctx<Record<string, never>>): Promise<{ kid: string }> {
        requireRole(ctx, "admin");
        const kid = (await this.keys.rotate()) as string;
        await this.broker.broadcast(KEYS_ROTATED_EVENT, { currentKid: kid } satisfies KeysRotated);
        return { kid };
      },
    },

    /** Internal: sessions revoked recently enough to matter, for a gateway warming its cache. */
    revokedSessions: {
      visibility: "public",
      params: {},
      async handler(this: IdentityThis): Promise<SessionsRevoked> {
        const ttl = getConfig().auth.accessTokenTtlS;
        const revoked = await this.sessionManager.recentlyRevoked(ttl);
        return { sessionIds: revoked.map((s) => s.id), expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
      },
    },

    /** Internal: adds a role to a local account (e.g. creator when a channel is created). */
    grantRole: {
      visibility: "public",
      params: {
        userId: { type: "string", min: 1, max: 100 },
        role: { type: "enum", values: ["viewer", "creator", "editor", "organizer", "admin"] },
      },
      async handler(this: IdentityThis, ctx: Ctx<GrantRoleParams>): Promise<{ roles: Role[] }> {
        const result = await changeRoles(this.stores.accounts, ctx.params.userId, (roles) =>
          roles.includes(ctx.params.role) ? roles : [...roles, ctx.params.role],
        );
        return { roles: result?.account.roles ?? [] };
      },
    },

    ...roleActions,
    ...sessionActions,
  },

  events: {
    [KEYS_ROTATED_EVENT](this: IdentityThis) {
      this.keys.invalidate();
    },
  },

  channels: {
    // A user who creates a channel becomes a creator (next token carries it).
    ...durableHandler("channel.created", {
      group: "identity",
      async handler(this: IdentityThis, envelope) {
        await changeRoles(this.stores.accounts, envelope.payload.ownerId, (roles) =>
          roles.includes("creator") ? roles : [...roles, "creator"],
        );
      },
    }),
  },

  methods: {
    async revokeSessions(this: IdentityThis, sessionIds: string[], reason: string): Promise<void> {
      await this.sessionManager.revoke(sessionIds, reason);
      if (sessionIds.length === 0) return;
      const ttl = getConfig().auth.accessTokenTtlS;
      const event: SessionsRevoked = { sessionIds, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
      await this.broker.broadcast(SESSIONS_REVOKED_EVENT, event);
    },

    async tokensFor(
      this: IdentityThis,
      account: AccountDoc,
      sessionId: string,
      refreshToken: string,
    ): Promise<TokenPair> {
      return issueTokenPair(getConfig(), await this.keys.signingMaterial(), account, sessionId, refreshToken);
    },
  },

  // Lifecycle handlers are typed with moleculer's plain Service `this`.
  created(this: Service) {
    const self = this as IdentityThis;
    const config = getConfig();
    self.keys = new KeyManager(self.stores.signingKeys, self.db, config.auth.keyEncryptionSecret);
    self.sessionManager = new SessionManager(
      self.stores.sessions,
      self.stores.refreshTokens,
      self.db,
      config.auth.refreshTokenTtlS,
    );
  },

  async started(this: Service) {
    const self = this as IdentityThis;
    await self.keys.ensureCurrent();
    self.rotationTimer = setInterval(() => {
      self.keys.ensureCurrent().catch((err: Error) => self.logger.error("Signing key rotation check failed", err));
      self.sessionManager
        .purgeEnded(SESSION_KEEP_AFTER_END_S())
        .catch((err: Error) => self.logger.warn("Purging ended sessions failed", err.message));
    }, ROTATION_CHECK_MS);
    self.rotationTimer.unref();
  },

  async stopped(this: Service) {
    const self = this as IdentityThis;
    if (self.rotationTimer) clearInterval(self.rotationTimer);
  },
};

export default IdentityService;
