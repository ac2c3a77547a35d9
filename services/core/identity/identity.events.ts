/** Durable events the identity service publishes, and the plain broadcasts gateways listen to. */
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

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "user.registered": UserRegistered;
  }
}

export interface SessionsRevoked {
  sessionIds: string[];
  /** ISO time after which every access token of these sessions has expired. */
  expiresAt: string;
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
  }
}
