/**
 * identity's actions on what an access token is checked against, wired as
 * the service declares them: the signing keys (JWKS, discovery, rotation),
 * the sessions a token belongs to and their revocations, and the global
 * roles it carries. Kept out of identity.service.ts so that file stays a
 * short wiring of groups; the logic is in the files imported here.
 */
import type { ServiceActions } from "../../../lib/contracts";
import type { IdentityThis } from "./identity.context";
import * as P from "./identity.params";
import { jwks, openidConfiguration, rotateKeys } from "./key-actions";
import { addRole, grantRole, removeRole, roles, userRoles } from "./role-actions";
import { listSessions, recentlyRevokedSessions, revokeSession } from "./session-actions";

export const TOKEN_ACTIONS = {
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
} satisfies Partial<ServiceActions<"identity", IdentityThis>>;
