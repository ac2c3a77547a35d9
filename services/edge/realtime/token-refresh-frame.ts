/**
 * The `auth` frame: a signed-in connection swaps in a fresh token before the
 * old one expires, so it is not closed at expiry (token-auth.ts reads it).
 */
import { roomRole } from "../../../lib/moderation";
import type { FrameContext } from "./frame-context";
import { fail } from "./frame-errors";
import type { Socket } from "./socket-data";
import { verifySocketToken } from "./token-auth";

/** Extends a connection's life with a fresh token for the same user (identity cannot change mid-connection). */
export async function refreshToken(gw: FrameContext, ws: Socket, token: string, cid?: string): Promise<void> {
  const data = ws.getUserData();
  if (!data.user) return fail(gw, ws, "FORBIDDEN", "Anonymous connections cannot log in; reconnect with a token", cid);
  let verified;
  try {
    verified = await verifySocketToken(gw.verifier, token);
  } catch {
    return fail(gw, ws, "UNAUTHENTICATED", "Invalid token", cid);
  }
  if (verified.user.id !== data.user.id) return fail(gw, ws, "FORBIDDEN", "The token belongs to another user", cid);
  if (data.closed) return;
  // The socket now runs on this token: its session (revocation closes the socket) and its roles.
  data.user = verified.user;
  data.tokenExpiresAt = verified.expiresAt;
  for (const [roomId, membership] of data.rooms) {
    const room = gw.rooms.get(roomId);
    if (room) membership.role = roomRole(verified.user, room.policy);
  }
  gw.send(ws, { type: "ack", cid });
}
