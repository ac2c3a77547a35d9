/** Durable events the identity service publishes, and the plain broadcasts gateways listen to. */
import type { Role } from "../../../lib/auth/auth-user";
export interface UserRegistered {
  userId: string;
  username: string;
  /** The username as typed at registration (usernames are stored lower-cased); optional for older events. */
  displayName?: string;
  email: string | null;
  /** "local" for the built-in issuer, "oidc" for a Keycloak subject seen for the first time. */
  source: "local" | "oidc";
  registeredAt: string;
}

/**
 * An account was deleted (by its owner, or by an admin). Every service that
 * holds data of the user removes it, or anonymizes it where others' data
 * depends on it (chat lines, analytics), idempotently: the event is
 * delivered at least once and may arrive after the user's other events.
 * Carries no email: a deleted user's address must not spread further.
 */
export interface UserDeleted {
  userId: string;
  /** Lower-cased username the account had (free for reuse from now on). */
  username: string;
  deletedBy: "self" | "admin";
  deletedAt: string;
}

/** An account's address changed (proven by the link sent to it); users keeps the private profile's copy. */
export interface UserEmailChanged {
  userId: string;
  email: string;
  changedAt: string;
}

/**
 * An account was suspended (by an admin, or acting on an abuse report): it
 * can no longer log in and its sessions are ended; its channels stop
 * broadcasting and search hides what it published, which otherwise stays.
 * `version` grows with every suspension and lift of the user: a consumer
 * keeps the highest it has seen, so the two events converge in any order.
 */
export interface UserSuspended {
  userId: string;
  reason: string;
  reportId: string | null;
  suspendedAt: string;
  version: number;
}

/** A suspension was lifted; the user logs in again and their channels may broadcast. */
export interface UserUnsuspended {
  userId: string;
  unsuspendedAt: string;
  version: number;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "user.suspended": UserSuspended;
    "user.unsuspended": UserUnsuspended;
    "user.registered": UserRegistered;
    "user.email.changed": UserEmailChanged;
    "user.deleted": UserDeleted;
  }
}

export interface SessionsRevoked {
  sessionIds: string[];
  /** ISO time after which every access token of these sessions has expired. */
  expiresAt: string;
}

/** A user's global roles changed; holders of a role cache replace the entry unless they hold a newer version. */
export interface UserRolesChanged {
  userId: string;
  roles: Role[];
  /**
   * The account's roles version after this change (grows by one per change): broadcasts from different identity
   * nodes can arrive out of order, and a receiver keeps the highest version it has seen.
   */
  version: number;
}

export interface KeysRotated {
  currentKid: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    /**
     * Gateways keep revoked session ids in memory until `expiresAt`, after
     * which no access token of the session is valid anyway.
     */
    "identity.sessions.revoked": SessionsRevoked;
    /** Every identity node drops its cached signing key after a rotation. */
    "identity.keys.rotated": KeysRotated;
    /** Every role change of a local account (admin grant/removal, creator on channel creation). */
    "user.roles.changed": UserRolesChanged;
  }
}
