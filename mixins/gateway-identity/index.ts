import type { Context, Service, ServiceSchema } from "moleculer";
import type { ArenaMeta, AuthUser } from "../../lib/auth/auth-user";
import type { ArenaClaims } from "../../lib/auth/claims";
import { usesExternalIssuer } from "../../lib/auth/issuer";
import { getConfig } from "../../lib/config";
import { callAction, onEvent } from "../../lib/contracts";
import { UnauthorizedError } from "../../lib/errors";
import { RevokedSessions, SeenSubjects } from "./revoked-sessions";

/** What a revocation broadcast must look like before a gateway believes it. */
export const SESSIONS_REVOKED_PARAMS = {
  sessionIds: { type: "array", items: "string", max: 10000 },
  expiresAt: { type: "string" },
} as const;

/**
 * What the identity slice adds to a gateway (REST or WebSocket): a revoked
 * session check and, with Keycloak, provisioning of an Arena user the first
 * time a subject is seen. The gateway mixes this in and calls
 * `resolveIdentity` from its `resolveUser` hook.
 */
export interface GatewayIdentityThis extends Service {
  revokedSessions: RevokedSessions;
  seenSubjects: SeenSubjects;
  pruneTimer?: NodeJS.Timeout;
  revocationsWarmed?: boolean;
  warmIfIdentityAvailable(): void;
  resolveIdentity(ctx: Context<unknown, ArenaMeta>, claims: ArenaClaims, mapped: AuthUser): Promise<AuthUser>;
  warmRevokedSessions(): Promise<void>;
}

export function GatewayIdentityMixin(): Partial<ServiceSchema> {
  return {
    events: {
      // The identity node may start after this gateway: warm up when it appears.
      "$services.changed"(this: GatewayIdentityThis) {
        this.warmIfIdentityAvailable();
      },
      ...onEvent(
        "identity.sessions.revoked",
        function (this: GatewayIdentityThis, revoked) {
          const expiresAt = new Date(revoked.expiresAt);
          if (!Number.isNaN(expiresAt.getTime())) this.revokedSessions.add(revoked.sessionIds, expiresAt);
        },
        { params: SESSIONS_REVOKED_PARAMS },
      ),
    },

    methods: {
      async resolveIdentity(
        this: GatewayIdentityThis,
        ctx: Context<unknown, ArenaMeta>,
        claims: ArenaClaims,
        mapped: AuthUser,
      ): Promise<AuthUser> {
        if (this.revokedSessions.isRevoked(mapped.sessionId)) throw new UnauthorizedError("Session revoked");
        if (usesExternalIssuer(getConfig()) && !this.seenSubjects.has(mapped.id)) {
          try {
            await callAction(ctx, "users.provisionExternal", {
              subject: mapped.id,
              username: mapped.username,
              ...(typeof claims.email === "string" ? { email: claims.email } : {}),
            });
            this.seenSubjects.add(mapped.id);
          } catch (err) {
            // The token is valid; a users outage must not lock everyone out.
            // Not marked seen, so the next request provisions again.
            this.logger.warn(`First-sight provisioning of ${mapped.id} failed; will retry`, (err as Error).message);
          }
        }
        return mapped;
      },

      warmIfIdentityAvailable(this: GatewayIdentityThis): void {
        if (this.revocationsWarmed || usesExternalIssuer(getConfig())) return;
        // A registry lookup, not findNextActionEndpoint: that one logs a warning per miss, and this runs on
        // every $services.changed while the node boots (13 warnings on a clean `npm start`).
        if (!this.broker.registry.actions.isAvailable("identity.revokedSessions")) return;
        this.revocationsWarmed = true;
        this.warmRevokedSessions().catch((err: Error) => {
          this.revocationsWarmed = false;
          this.logger.warn("Could not load revoked sessions from identity", err.message);
        });
      },

      /** Revocations that happened before this gateway started. */
      async warmRevokedSessions(this: GatewayIdentityThis): Promise<void> {
        const revoked = await callAction(this.broker, "identity.revokedSessions", {});
        this.revokedSessions.add(revoked.sessionIds, new Date(revoked.expiresAt));
      },
    },

    created(this: Service) {
      const self = this as GatewayIdentityThis;
      self.revokedSessions = new RevokedSessions();
      self.seenSubjects = new SeenSubjects();
    },

    async started(this: Service) {
      const self = this as GatewayIdentityThis;
      self.pruneTimer = setInterval(() => self.revokedSessions.prune(), 60_000);
      self.pruneTimer.unref();
      self.warmIfIdentityAvailable();
    },

    async stopped(this: Service) {
      const self = this as GatewayIdentityThis;
      if (self.pruneTimer) clearInterval(self.pruneTimer);
    },
  };
}
