/**
 * The gateway's periodic work, off the per-frame and fan-out paths: the
 * sweep once a second (slow consumers, expired tokens, anonymous sockets
 * that joined no room), the room refresh that lets a node that missed a
 * broadcast converge, and the viewer-count tick. Owns its timers: the
 * gateway starts it once listening and stops it first on shutdown.
 */
import type { ChatPolicy, ModChange, RoomModerationState } from "../../../lib/moderation";
import { isRedisDown } from "../../../lib/redis/bounded-redis";
import type { GatewayDeps } from "./gateway-deps";
import { CloseCode, type ServerFrame } from "./protocol";
import type { RoomRegistry } from "./room-registry";
import type { Socket } from "./socket-data";
import type { TopicSubscriptions } from "./topic-subscriptions";
import { syncViewerCounts } from "./viewer-tick";

/** What the periodic work may use of the gateway's public surface (the gateway passes itself). */
export interface HousekeptGateway {
  readonly sockets: ReadonlySet<Socket>;
  readonly topics: Pick<TopicSubscriptions, "count">;
  readonly rooms: RoomRegistry<Socket>;
  readonly deps: GatewayDeps;
  close(ws: Socket, code: number, reason: string): void;
  onPolicyChanged(policy: ChatPolicy): void;
  onModerationChanged(state: RoomModerationState, change: ModChange | undefined): void;
  pushToRoom(room: string, frame: ServerFrame): void;
}

/** The two private parts of the gateway the periodic work needs. */
export interface GatewayInternals {
  isStopping(): boolean;
  /** Counts a backpressure close and closes the socket with SLOW_CONSUMER. */
  closeSlow(ws: Socket): void;
}

export class GatewayHousekeeping {
  private timers: NodeJS.Timeout[] = [];
  private tickRunning = false;

  constructor(
    private readonly gw: HousekeptGateway,
    private readonly internals: GatewayInternals,
  ) {}

  start(): void {
    const { settings } = this.gw.deps;
    this.timers.push(setInterval(() => void this.viewerTick(), settings.viewerTickMs));
    this.timers.push(setInterval(() => this.sweep(), 1000));
    this.timers.push(setInterval(() => void this.refreshRooms(), settings.roomRefreshMs));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private sweep(): void {
    const now = Date.now();
    const { settings } = this.gw.deps;
    for (const ws of [...this.gw.sockets]) {
      const data = ws.getUserData();
      if (data.closed) continue;
      if (ws.getBufferedAmount() > settings.slowConsumerBytes) this.internals.closeSlow(ws);
      else if (data.tokenExpiresAt !== null && now >= data.tokenExpiresAt)
        this.gw.close(ws, CloseCode.TOKEN_EXPIRED, "token expired");
      else if (
        !data.user &&
        data.rooms.size === 0 &&
        this.gw.topics.count(ws) === 0 &&
        now - data.connectedAt > settings.anonymousJoinTimeoutMs
      ) {
        this.gw.close(ws, CloseCode.AUTH_TIMEOUT, "anonymous socket joined no room");
      }
    }
    this.gw.rooms.sweep(now, 60000);
  }

  /**
   * Events keep rooms fresh; this re-reads them now and then so a node that
   * missed a broadcast (transport blip) converges within one interval.
   */
  private async refreshRooms(): Promise<void> {
    for (const room of [...this.gw.rooms.all()]) {
      if (this.internals.isStopping() || room.members.size === 0) continue;
      try {
        const snapshot = await this.gw.deps.backend.loadRoom(room.id);
        this.gw.onPolicyChanged(snapshot.policy);
        if (snapshot.moderation.version > room.moderation.version)
          this.gw.onModerationChanged(snapshot.moderation, undefined);
      } catch (err) {
        this.gw.deps.logger.debug(`room ${room.id} refresh failed`, err);
      }
    }
  }

  private async viewerTick(): Promise<void> {
    if (this.tickRunning || this.internals.isStopping()) return;
    this.tickRunning = true;
    try {
      await syncViewerCounts(this.gw.rooms, this.gw.deps, (room, frame) => this.gw.pushToRoom(room, frame));
    } catch (err) {
      // While Redis is known down the store said so once; counts stay as they were until it is back.
      if (!isRedisDown(err)) this.gw.deps.logger.warn("viewer count tick failed", err);
    } finally {
      this.tickRunning = false;
    }
  }
}
