/**
 * What the frame handlers (frame-handlers.ts, room-frames.ts,
 * moderation-frames.ts, token-refresh-frame.ts, public-topics.ts) may use of
 * the gateway, and nothing more: they send, close and leave rooms through
 * it, and read the room registry, the backend and the message path's parts.
 * The gateway builds one of these over itself; handlers never see the
 * socket set, the timers or the uWS app.
 */
import type { LoggerInstance, Span } from "moleculer";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import type { RoomFanout } from "./fanout";
import type { HistoryWriter } from "./history-writer";
import type { RealtimeMetrics } from "./metrics";
import type { ServerFrame } from "./protocol";
import type { TopicSubscriptions } from "./topic-subscriptions";
import type { RealtimeBackend } from "./realtime-backend";
import type { RealtimeSettings } from "./realtime-settings";
import type { RoomRegistry } from "./room-registry";
import type { Socket } from "./socket-data";

/** uWS topic of a chat room on this node. */
export const roomTopic = (room: string): string => `r:${room}`;

export interface FrameContext {
  readonly settings: Pick<
    RealtimeSettings,
    | "frameBurst"
    | "frameRate"
    | "maxBadFrames"
    | "maxRoomsPerSocket"
    | "maxMessageChars"
    | "allowedLinkHosts"
    | "maxTopicsPerSocket"
  >;
  readonly logger: LoggerInstance;
  /** This gateway's tag, minted into every message id it accepts. */
  readonly nodeTag: string;
  readonly rooms: Pick<RoomRegistry<Socket>, "get" | "acquire" | "addMember" | "activeRooms">;
  readonly topics: TopicSubscriptions;
  readonly backend: Pick<RealtimeBackend, "getFollowedAt" | "moderate" | "deleteMessage">;
  readonly verifier: TokenVerifier;
  readonly fanout: Pick<RoomFanout, "subscribe" | "publish">;
  readonly metrics: Pick<RealtimeMetrics, "setRooms" | "messageIn">;
  readonly history: Pick<HistoryWriter, "accepting" | "append" | "flushNow"> | null;
  /** Starts a root span (tracing on): each accepted chat message gets one. */
  readonly startSpan?: (name: string, tags: Record<string, string>) => Span;
  /** One frame to one socket (corked, backpressure policed); a closed socket is skipped. */
  send(ws: Socket, frame: ServerFrame): void;
  close(ws: Socket, code: number, reason: string): void;
  /** Removes a member; the room's subject is dropped when its last local member leaves. */
  leaveRoom(ws: Socket, roomId: string): void;
}
