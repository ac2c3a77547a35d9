/**
 * The uWS server of a realtime node: socket lifecycle, local delivery and
 * backpressure policing. Frame handling lives in frame-handlers.ts, delivery
 * to a user's sockets in user-sockets.ts, the uWS app's routes in
 * uws-app.ts, the periodic sweep, room refresh and viewer-count tick in
 * gateway-housekeeping.ts; everything cluster-facing (fan-out, viewer
 * store, chat and channels services) is injected (gateway-deps.ts).
 */
import { randomBytes } from "node:crypto";
import { roomRole, type ChatPolicy, type ModChange, type RoomModerationState } from "../../../lib/moderation";
import { TrustedProxies } from "../../../lib/http/client-ip";
import { RoomBatcher } from "./batcher";
import { roomTopic, type FrameContext } from "./frame-context";
import { handleFrame } from "./frame-handlers";
import type { GatewayDeps } from "./gateway-deps";
import { GatewayHousekeeping } from "./gateway-housekeeping";
import { deliverTopicEvent } from "./public-topics";
import { TopicSubscriptions } from "./topic-subscriptions";
import { CloseCode, PROTOCOL_NAME, serializeFrame, type ServerFrame, type UserNotification } from "./protocol";
import { CountLimiter } from "./rate-limit";
import type { TopicPublish } from "./realtime.events";
import type { NotificationPushBatch } from "../../engagement/notifications/notifications.events";
import { RoomRegistry } from "./room-registry";
import { countRemoteSend } from "./remote-sends";
import { UserSockets } from "./user-sockets";
import type { Socket, SocketData } from "./socket-data";
import { createRealtimeApp, listenRealtimeApp, type UpgradeGates } from "./uws-app";
import { loadUws, type TemplatedApp, type us_listen_socket } from "./uws";

export type { GatewayDeps } from "./gateway-deps";

export class RealtimeGateway {
  readonly rooms: RoomRegistry<Socket>;
  readonly sockets = new Set<Socket>();
  /** Public-topic subscriptions (public-topics.ts). */
  readonly topics = new TopicSubscriptions();
  /** Minted into every message id this gateway accepts, so fan-out can tell its own messages from other nodes'. */
  readonly nodeTag = randomBytes(2).toString("hex");
  /** Our own handle on each socket's data: uWS throws on any access to a closed socket, async paths must not touch it. */
  private readonly dataOf = new WeakMap<Socket, SocketData>();
  /** Each signed-in user's sockets here: notification delivery (user-sockets.ts). */
  private readonly userSockets: UserSockets;
  private readonly perIp: CountLimiter;
  private readonly perUser: CountLimiter;
  private readonly batcher: RoomBatcher;
  private app: TemplatedApp | undefined;
  private listenSocket: us_listen_socket | undefined;
  private stopping = false;
  /** What frame handlers get of this gateway (frame-context.ts). */
  private readonly frames: FrameContext;
  /** The sweep, room refresh and viewer tick (gateway-housekeeping.ts). */
  private readonly housekeeping: GatewayHousekeeping;
  port = 0;

  constructor(readonly deps: GatewayDeps) {
    const { settings } = deps;
    this.rooms = new RoomRegistry<Socket>((roomId) => deps.backend.loadRoom(roomId), settings.sendLimits);
    this.perIp = new CountLimiter(settings.maxConnectionsPerIp);
    this.perUser = new CountLimiter(settings.maxConnectionsPerUser);
    this.batcher = new RoomBatcher((room, payload) => this.publishLocal(room, payload), settings.coalesceMs);
    this.userSockets = new UserSockets((ws, frame) => this.send(ws, frame));
    this.frames = {
      settings,
      logger: deps.logger,
      nodeTag: this.nodeTag,
      rooms: this.rooms,
      topics: this.topics,
      backend: deps.backend,
      verifier: deps.verifier,
      fanout: deps.fanout,
      metrics: deps.metrics,
      history: deps.history,
      startSpan: deps.startSpan,
      send: (ws, frame) => this.send(ws, frame),
      close: (ws, code, reason) => this.close(ws, code, reason),
      leaveRoom: (ws, roomId) => this.leaveRoom(ws, roomId),
    };
    this.housekeeping = new GatewayHousekeeping(this, {
      isStopping: () => this.stopping,
      closeSlow: (ws) => this.closeSlow(ws),
    });
  }

  async start(): Promise<number> {
    const uws = loadUws();
    const { settings } = this.deps;
    const proxies = new TrustedProxies(settings.trustedProxies);
    await this.deps.fanout.start((m) => {
      this.deps.metrics.fanoutLatency(Date.now() - m.publishedAt);
      countRemoteSend(this.rooms, this.nodeTag, m.room, m.payload);
      this.batcher.push(m.room, m.payload);
    });
    const gates: UpgradeGates = {
      proxies,
      perIp: this.perIp,
      perUser: this.perUser,
      isStopping: () => this.stopping,
    };
    const app = createRealtimeApp(uws, this.deps, gates, {
      open: (ws) => this.onOpen(ws),
      message: (ws, message, isBinary) => handleFrame(this.frames, ws, message, isBinary),
      close: (ws) => this.onClose(ws),
    });
    this.app = app;
    this.listenSocket = await listenRealtimeApp(app, settings);
    this.port = uws.us_socket_local_port(this.listenSocket);
    this.housekeeping.start();
    return this.port;
  }

  private onOpen(ws: Socket): void {
    const data = ws.getUserData();
    this.dataOf.set(ws, data);
    this.sockets.add(ws);
    this.perIp.acquire(data.ip);
    if (data.user) {
      this.perUser.acquire(data.user.id);
      this.userSockets.add(data.user.id, ws);
    }
    this.deps.metrics.setConnections(this.sockets.size);
    const { settings } = this.deps;
    this.send(ws, {
      type: "welcome",
      connectionId: data.connectionId,
      user: data.user ? { id: data.user.id, username: data.user.username } : null,
      protocol: PROTOCOL_NAME,
      limits: {
        maxMessageChars: settings.maxMessageChars,
        maxRooms: settings.maxRoomsPerSocket,
        maxTopics: settings.maxTopicsPerSocket,
      },
    });
  }

  private onClose(ws: Socket): void {
    const data = ws.getUserData();
    data.closed = true;
    this.sockets.delete(ws);
    this.perIp.release(data.ip);
    if (data.user) {
      this.perUser.release(data.user.id);
      this.userSockets.remove(data.user.id, ws);
    }
    for (const roomId of data.rooms.keys()) this.leaveRoom(ws, roomId);
    data.rooms.clear();
    this.deps.metrics.setConnections(this.sockets.size);
  }

  /** Removes a member; when the room empties on this node, stops listening to its subject. */
  leaveRoom(ws: Socket, roomId: string): void {
    const room = this.rooms.get(roomId);
    if (room && this.rooms.removeMember(room, ws)) this.deps.fanout.unsubscribe(roomId);
    this.deps.metrics.setRooms(this.rooms.activeRooms());
  }

  /** Sends one frame to one socket, corked (safe outside uWS callbacks), policing backpressure. */
  send(ws: Socket, frame: ServerFrame): void {
    if (!this.isOpen(ws)) return;
    const payload = serializeFrame(frame);
    let status = 1;
    ws.cork(() => {
      status = ws.send(payload, false, false);
    });
    if (status === 1) this.deps.metrics.messagesOut(1);
    else if (status === 2) {
      this.deps.metrics.drop();
      this.closeSlow(ws);
    }
  }

  close(ws: Socket, code: number, reason: string): void {
    if (!this.isOpen(ws)) return;
    ws.end(code, reason);
  }

  isOpen(ws: Socket): boolean {
    const data = this.dataOf.get(ws);
    return data !== undefined && !data.closed;
  }

  private closeSlow(ws: Socket): void {
    this.deps.metrics.backpressureClose();
    this.close(ws, CloseCode.SLOW_CONSUMER, "slow consumer");
  }

  private publishLocal(room: string, payload: string): void {
    if (!this.app) return;
    const receivers = this.app.numSubscribers(roomTopic(room));
    if (receivers === 0) return;
    this.app.publish(roomTopic(room), payload, false, false);
    this.deps.metrics.messagesOut(receivers);
  }

  /** Pushes a frame to this node's members of a room (state changes every node learns by event). */
  pushToRoom(room: string, frame: ServerFrame): void {
    this.batcher.push(room, serializeFrame(frame));
  }

  onModerationChanged(state: RoomModerationState, change: ModChange | undefined): void {
    const room = this.rooms.applyModeration(state);
    if (room) this.pushToRoom(room.id, { type: "moderation", room: room.id, modes: state.modes, change });
  }

  onPolicyChanged(policy: ChatPolicy): void {
    const room = this.rooms.applyPolicy(policy);
    if (!room) return;
    for (const ws of room.members) {
      const data = ws.getUserData();
      const membership = data.rooms.get(room.id);
      if (membership) membership.role = roomRole(data.user, policy);
    }
  }

  /** Closes every socket authenticated with one of these (now revoked) sessions; returns how many. */
  closeRevokedSessions(sessionIds: readonly string[]): number {
    const revoked = new Set(sessionIds);
    let closed = 0;
    for (const ws of [...this.sockets]) {
      const data = ws.getUserData();
      if (!data.closed && data.user?.sessionId !== undefined && revoked.has(data.user.sessionId)) {
        this.close(ws, CloseCode.SESSION_REVOKED, "session revoked");
        closed++;
      }
    }
    return closed;
  }

  /** A service published to a public topic: deliver to this node's subscribers. */
  publishToTopic(msg: TopicPublish): number {
    return deliverTopicEvent(this.app, this.deps.metrics, msg);
  }

  notifyUser(userId: string, notification: UserNotification, unreadCount?: number): number {
    return this.userSockets.notifyUser(userId, notification, unreadCount);
  }

  notifyMany(batch: NotificationPushBatch): number {
    return this.userSockets.notifyMany(batch);
  }

  updateUnread(userId: string, count: number): void {
    this.userSockets.updateUnread(userId, count);
  }

  /** Graceful: refuse new sockets, close open ones with a code, close the listen socket, flush. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.housekeeping.stop();
    for (const ws of [...this.sockets]) this.close(ws, CloseCode.SERVICE_RESTART, "server restarting");
    if (this.listenSocket) loadUws().us_listen_socket_close(this.listenSocket);
    this.listenSocket = undefined;
    this.batcher.flush();
    await this.deps.history?.stop();
    await Promise.allSettled([this.deps.viewers.stop(), this.deps.fanout.stop()]);
    this.app = undefined;
  }
}
