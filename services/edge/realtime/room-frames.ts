/**
 * The `join` and `leave` frames: a socket enters a room (its state loaded
 * once per node, the follow read for followers-only mode, the room's bus
 * subject subscribed for its first local member) or leaves it. `joined` is
 * answered only after this node's buffered messages are stored, so the
 * history a client reads next holds every message its socket missed.
 */
import { roomRole } from "../../../lib/moderation";
import { roomTopic, type FrameContext } from "./frame-context";
import { codeOf, fail } from "./frame-errors";
import type { Socket } from "./socket-data";

export async function join(gw: FrameContext, ws: Socket, roomId: string, cid?: string): Promise<void> {
  const data = ws.getUserData();
  if (!data.rooms.has(roomId) && data.rooms.size >= gw.settings.maxRoomsPerSocket) {
    return fail(gw, ws, "TOO_MANY_ROOMS", "Too many rooms on this connection", cid);
  }
  let room;
  let followedAt: number | null = null;
  try {
    room = await gw.rooms.acquire(roomId);
    if (data.user) followedAt = await gw.backend.getFollowedAt(data.user.id, roomId);
  } catch (err) {
    gw.logger.warn(`join ${roomId} failed`, err);
    return fail(gw, ws, codeOf(err, "ROOM_UNAVAILABLE"), "Room is not available", cid);
  }
  if (data.closed) return;
  const role = roomRole(data.user, room.policy);
  const already = data.rooms.has(roomId);
  data.rooms.set(roomId, { role, followedAt, followCheckedAt: 0 });
  if (!already) {
    ws.subscribe(roomTopic(roomId));
    if (gw.rooms.addMember(room, ws)) gw.fanout.subscribe(roomId);
    gw.metrics.setRooms(gw.rooms.activeRooms());
    // Clients read the history after `joined` (web/src/lib/chat-room-sync.ts). A message this node
    // accepted before the subscription above may still be in the write buffer (up to flushMs): store it
    // first, so the history read finds every message the socket did not deliver. Other nodes' buffers are
    // not flushed here; their window is flushMs (docs/realtime-protocol.md).
    await storeBuffered(gw);
    if (data.closed) return;
  }
  gw.send(ws, {
    type: "joined",
    room: roomId,
    modes: room.moderation.modes,
    role,
    viewerCount: Math.max(room.viewerCount, 1),
    cid,
  });
}

/** A store outage must not hold a join for long: the wait is bounded, and the history read then says it failed. */
const JOIN_FLUSH_WAIT_MS = 1000;

export async function storeBuffered(gw: FrameContext): Promise<void> {
  const history = gw.history;
  if (!history) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    history.flushNow().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, JOIN_FLUSH_WAIT_MS))),
  ]);
  clearTimeout(timer);
}

export function leave(gw: FrameContext, ws: Socket, roomId: string, cid?: string): void {
  const data = ws.getUserData();
  if (data.rooms.delete(roomId)) {
    ws.unsubscribe(roomTopic(roomId));
    gw.leaveRoom(ws, roomId);
  }
  gw.send(ws, { type: "left", room: roomId, cid });
}
