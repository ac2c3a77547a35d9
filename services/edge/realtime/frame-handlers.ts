/**
 * What the gateway does with each client frame. Chat messages are judged
 * in memory (message-gate.ts) and published to the room's bus subject; the
 * client gets its ack once the message is stored. Async steps re-check that
 * the socket is still open before touching it. This file holds the per-frame
 * path (budget, parse, order, dispatch) and the chat message itself; the
 * other frames are in room-frames.ts, moderation-frames.ts,
 * token-refresh-frame.ts and public-topics.ts.
 */
import type { AuthUser } from "../../../lib/auth/auth-user";
import { runWithRequestContext } from "../../../lib/logging/request-context";
import { spanIdOf, traceIdOf } from "../../../lib/tracing/trace-ids";
import type { FrameContext } from "./frame-context";
import { fail } from "./frame-errors";
import { checkMessage, type GateRoom, type GateVerdict } from "./message-gate";
import { deleteMessage, moderate } from "./moderation-frames";
import { subscribeTopic, unsubscribeTopic } from "./public-topics";
import { newMessageId } from "./message-ids";
import { join, leave } from "./room-frames";
import type { RoomMembership, Socket, SocketData } from "./socket-data";
import { refreshToken } from "./token-refresh-frame";
import { CloseCode, decodeFrame, parseClientFrame, type ChatMessage, type ClientFrame } from "./protocol";

export function handleFrame(gw: FrameContext, ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
  const data = ws.getUserData();
  const text = isBinary ? null : decodeFrame(message);
  if (text === null) return gw.close(ws, CloseCode.MALFORMED, "expected UTF-8 JSON text frames");
  const now = Date.now();
  const { frameBurst, frameRate } = gw.settings;
  data.frameBudget = Math.min(frameBurst, data.frameBudget + ((now - data.frameBudgetAt) / 1000) * frameRate);
  data.frameBudgetAt = now;
  if (data.frameBudget < 1) {
    // Flooding with joins or pings would cost backend calls and CPU: refuse, and close persistent floods.
    fail(gw, ws, "RATE_LIMITED", "Too many frames", undefined, Math.ceil(1000 / frameRate));
    if (++data.badFrames > gw.settings.maxBadFrames) gw.close(ws, CloseCode.TOO_MANY_ERRORS, "too many frames");
    return;
  }
  data.frameBudget -= 1;
  const parsed = parseClientFrame(text);
  if (!parsed.ok) {
    if (parsed.message.startsWith("frame ")) {
      // Not JSON at all: this client does not speak the protocol; close only this socket.
      fail(gw, ws, parsed.code, parsed.message, parsed.cid);
      return gw.close(ws, CloseCode.MALFORMED, "malformed frame");
    }
    fail(gw, ws, parsed.code, parsed.message, parsed.cid);
    if (++data.badFrames > gw.settings.maxBadFrames) gw.close(ws, CloseCode.TOO_MANY_ERRORS, "too many bad frames");
    return;
  }
  const frame = parsed.frame;
  const run = (): Promise<void> =>
    data.closed
      ? Promise.resolve()
      : dispatch(gw, ws, frame).catch((err: Error) => {
          gw.logger.error("frame handling failed", err);
          fail(gw, ws, "INTERNAL", "Internal error", "cid" in frame ? frame.cid : undefined);
        });
  // Frames of one socket are handled in the order sent. Only while an earlier
  // frame still awaits the backend does a later one queue behind it; the
  // common case (chat messages) runs at once.
  const handling = data.inFlight ? data.inFlight.then(run) : run();
  data.inFlight = handling;
  void handling.finally(() => {
    if (data.inFlight === handling) data.inFlight = null;
  });
}

async function dispatch(gw: FrameContext, ws: Socket, frame: ClientFrame): Promise<void> {
  switch (frame.type) {
    case "ping":
      return gw.send(ws, { type: "pong", cid: frame.cid, serverTime: Date.now() });
    case "join":
      return join(gw, ws, frame.room, frame.cid);
    case "leave":
      return leave(gw, ws, frame.room, frame.cid);
    case "send":
      return sendMessage(gw, ws, frame.room, frame.text, frame.cid);
    case "delete":
      return deleteMessage(gw, ws, frame.room, frame.messageId, frame.cid);
    case "mod":
      return moderate(gw, ws, frame, frame.cid);
    case "auth":
      return refreshToken(gw, ws, frame.token, frame.cid);
    case "subscribe":
      return subscribeTopic(gw, ws, frame.topic, frame.cid);
    case "unsubscribe":
      return unsubscribeTopic(gw, ws, frame.topic, frame.cid);
  }
}

/** A sender refused in followers-only mode may have followed since joining: re-read the follow at most this often. */
const FOLLOW_RECHECK_MS = 2000;

function judge(
  gw: FrameContext,
  room: GateRoom,
  data: SocketData,
  membership: RoomMembership,
  rawText: string,
  now: number,
): GateVerdict {
  const { settings } = gw;
  return checkMessage(
    room,
    { userId: data.user?.id ?? "", role: membership.role, followedAt: membership.followedAt },
    rawText,
    { maxMessageChars: settings.maxMessageChars, allowedLinkHosts: settings.allowedLinkHosts },
    now,
  );
}

async function sendMessage(gw: FrameContext, ws: Socket, roomId: string, rawText: string, cid?: string): Promise<void> {
  const data = ws.getUserData();
  const membership = data.rooms.get(roomId);
  const room = gw.rooms.get(roomId);
  if (!membership || !room) return fail(gw, ws, "NOT_IN_ROOM", "Join the room first", cid);
  // A message that cannot be stored must not be shown to the room either (nor count against the sender).
  if (gw.history && !gw.history.accepting)
    return fail(gw, ws, "INTERNAL", "Chat history is unavailable; try again shortly", cid, 1000);
  let verdict = judge(gw, room, data, membership, rawText, Date.now());
  if (
    !verdict.ok &&
    verdict.code === "FOLLOWERS_ONLY" &&
    data.user &&
    membership.followedAt === null &&
    Date.now() - membership.followCheckedAt >= FOLLOW_RECHECK_MS
  ) {
    // Someone who clicks Follow after joining must not have to re-join to chat. Only refused
    // messages pay for this lookup, at most once per interval: accepted ones never make a call.
    membership.followCheckedAt = Date.now();
    try {
      membership.followedAt = await gw.backend.getFollowedAt(data.user.id, roomId, true);
    } catch (err) {
      gw.logger.debug(`follow re-check for ${roomId} failed`, err);
    }
    if (data.closed) return;
    if (membership.followedAt !== null) verdict = judge(gw, room, data, membership, rawText, Date.now());
  }
  if (!verdict.ok) return fail(gw, ws, verdict.code, verdict.message, cid, verdict.retryAfterMs);
  const now = Date.now();
  const user = data.user as AuthUser;
  const badges = membership.role === "viewer" ? [] : membership.role === "admin" ? ["moderator"] : [membership.role];
  const message: ChatMessage = {
    id: newMessageId(now, gw.nodeTag),
    room: roomId,
    user: { id: user.id, username: user.username, badges },
    text: verdict.text,
    sentAt: now,
  };
  gw.fanout.publish(roomId, JSON.stringify({ type: "msg", ...message }));
  gw.metrics.messageIn();
  // One trace per message, from acceptance to stored (the chat store's span joins it through the batch).
  const span = gw.startSpan?.("chat message", { room: roomId, messageId: message.id, userId: user.id });
  const history = gw.history;
  if (!history) {
    span?.finish();
    return gw.send(ws, { type: "ack", cid, messageId: message.id });
  }
  const stored = (): Promise<void> =>
    history.append(message, span).then(
      () => {
        span?.finish();
        gw.send(ws, { type: "ack", cid, messageId: message.id });
      },
      (err: Error) => {
        span?.setError(err).finish();
        gw.logger.warn("chat message not stored", err.message);
        fail(gw, ws, "INTERNAL", "Message could not be stored", cid);
      },
    );
  void (span
    ? runWithRequestContext(
        { requestId: message.id, traceId: traceIdOf(span.traceID), spanId: spanIdOf(span.id) },
        stored,
      )
    : stored());
}
