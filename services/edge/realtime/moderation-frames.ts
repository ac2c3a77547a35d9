/**
 * The moderator frames: `delete` (a message) and `mod` (ban, timeout, modes...).
 * The gateway checks the sender's room role first; the chat service applies
 * the command and re-checks with full knowledge, and every node hears the
 * result as an event.
 */
import { authorizeModCommand, commandTarget, isPrivileged, roomRole } from "../../../lib/moderation";
import type { FrameContext } from "./frame-context";
import { codeOf, fail } from "./frame-errors";
import type { ClientFrame } from "./protocol";
import type { Socket } from "./socket-data";

export async function deleteMessage(
  gw: FrameContext,
  ws: Socket,
  roomId: string,
  messageId: string,
  cid?: string,
): Promise<void> {
  const data = ws.getUserData();
  const membership = data.rooms.get(roomId);
  if (!membership) return fail(gw, ws, "NOT_IN_ROOM", "Join the room first", cid);
  if (!data.user || !isPrivileged(membership.role))
    return fail(gw, ws, "FORBIDDEN", "Only moderators can delete messages", cid);
  try {
    // The message may still be in this node's batch; store it first so the delete finds it.
    await gw.history?.flushNow();
    await gw.backend.deleteMessage(data.user, roomId, messageId);
  } catch (err) {
    return fail(gw, ws, codeOf(err, "INTERNAL"), (err as Error).message, cid);
  }
  // Every node (this one included) pushes the "deleted" frame when it hears chat.message.deleted.
  gw.send(ws, { type: "ack", cid, messageId });
}

export async function moderate(
  gw: FrameContext,
  ws: Socket,
  frame: Extract<ClientFrame, { type: "mod" }>,
  cid?: string,
): Promise<void> {
  const data = ws.getUserData();
  const membership = data.rooms.get(frame.room);
  const room = gw.rooms.get(frame.room);
  if (!membership || !room) return fail(gw, ws, "NOT_IN_ROOM", "Join the room first", cid);
  const targetId = commandTarget(frame.command);
  // Global roles of the target are unknown here; the chat service re-checks with full knowledge.
  const targetRole = targetId === null ? null : roomRole({ id: targetId, roles: [] }, room.policy);
  const allowed = authorizeModCommand(membership.role, frame.command, targetRole);
  if (!data.user || !allowed.ok)
    return fail(gw, ws, "FORBIDDEN", allowed.ok ? "Log in to moderate" : allowed.reason, cid);
  try {
    await gw.backend.moderate(data.user, frame.room, frame.command);
  } catch (err) {
    return fail(gw, ws, codeOf(err, "INTERNAL"), (err as Error).message, cid);
  }
  gw.send(ws, { type: "ack", cid });
}
