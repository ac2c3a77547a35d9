/** What uWS keeps per socket (typed user data, never fields patched onto the socket). */
import type { AuthUser } from "../../../lib/auth/auth-user";
import type { RoomRole } from "../../../lib/moderation";
import type { WebSocket } from "./uws";

export interface RoomMembership {
  role: RoomRole;
  /** Epoch ms the user followed the channel (looked up at join), or null. */
  followedAt: number | null;
  /** When a refused message last re-read the follow (followers-only), epoch ms; 0 = never. */
  followCheckedAt: number;
}

export interface SocketData {
  connectionId: string;
  user: AuthUser | null;
  ip: string;
  connectedAt: number;
  /** When the access token expires (epoch ms); the socket is closed then unless an `auth` frame refreshed it. */
  tokenExpiresAt: number | null;
  rooms: Map<string, RoomMembership>;
  /** Set in the close handler: after it, the uWS socket must not be touched (async work checks this). */
  closed: boolean;
  badFrames: number;
  /** Token bucket for client frames of any kind (joins, pings...), refilled per second. */
  frameBudget: number;
  frameBudgetAt: number;
  /**
   * The frame being handled when it awaits the backend (a `join` loads room
   * state): later frames of this socket wait for it, so a client may send
   * `join` then `send` without waiting for `joined`. Null when idle.
   */
  inFlight: Promise<void> | null;
}

/** A client socket with its typed data. */
export type Socket = WebSocket<SocketData>;
