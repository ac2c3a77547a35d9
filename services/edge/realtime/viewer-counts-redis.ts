/**
 * Clustered mode. Keys (all under the namespace):
 *   <ns>:viewers:<room>  hash member -> that node's count for the room
 *   <ns>:rt-alive:<member> set with a short TTL on every tick
 * A member is the node id plus a per-process suffix: a node that crashes and
 * comes back with the same node id (a container restarted in the same pod
 * keeps hostname and pid 1) must not keep its previous life's counts alive.
 * Totals sum only fields whose node is alive; fields of dead nodes are
 * deleted by whichever node notices, so a killed node's viewers leave the
 * count within the liveness TTL.
 */
import { randomBytes } from "node:crypto";
import type Redis from "ioredis";
import { BoundedRedis } from "../../../lib/redis/bounded-redis";
import type { RoomTotal, ViewerCountStore } from "./viewer-counts";

export interface RedisViewerCountsOptions {
  url: string;
  namespace: string;
  nodeId: string;
  /** How long a node counts as alive after its last tick. */
  aliveTtlMs: number;
  /** Bound of each Redis command (lib/redis); while Redis is down a tick fails at once. */
  commandTimeoutMs?: number;
  logger?: { warn(...args: unknown[]): void; info(...args: unknown[]): void };
}

export class RedisViewerCounts implements ViewerCountStore {
  readonly driver = "redis" as const;
  private readonly bounded: BoundedRedis;
  /** Rooms where this node has a non-zero field, so leaving writes one HDEL. */
  private readonly reported = new Set<string>();
  /** This process's field name and liveness key suffix. */
  private readonly member: string;

  constructor(private readonly options: RedisViewerCountsOptions) {
    this.member = `${options.nodeId}.${randomBytes(4).toString("hex")}`;
    this.bounded = new BoundedRedis(options.url, {
      name: "viewer counts",
      commandTimeoutMs: options.commandTimeoutMs ?? 250,
      logger: options.logger,
    });
  }

  private get redis(): Redis {
    return this.bounded.client;
  }

  private roomKey(room: string): string {
    return `${this.options.namespace}:viewers:${room}`;
  }

  private aliveKey(nodeId: string): string {
    return `${this.options.namespace}:rt-alive:${nodeId}`;
  }

  async sync(localCounts: ReadonlyMap<string, number>): Promise<Map<string, RoomTotal>> {
    return this.bounded.run(() => this.syncNow(localCounts));
  }

  private async syncNow(localCounts: ReadonlyMap<string, number>): Promise<Map<string, RoomTotal>> {
    const nodeId = this.member;
    const write = this.redis.pipeline();
    write.set(this.aliveKey(nodeId), "1", "PX", this.options.aliveTtlMs);
    const rooms: string[] = [];
    for (const [room, count] of localCounts) {
      if (count > 0) {
        write.hset(this.roomKey(room), nodeId, String(count));
        // Abandoned rooms disappear on their own.
        write.pexpire(this.roomKey(room), Math.max(60000, this.options.aliveTtlMs * 4));
        this.reported.add(room);
        rooms.push(room);
      } else if (this.reported.delete(room)) {
        write.hdel(this.roomKey(room), nodeId);
      }
    }
    for (const room of rooms) write.hgetall(this.roomKey(room));
    const results = await write.exec();
    if (!results) throw new Error("viewer counts: pipeline aborted");
    const offset = results.length - rooms.length;
    const perRoom = new Map<string, Record<string, string>>();
    const nodes = new Set<string>();
    rooms.forEach((room, i) => {
      const [err, value] = results[offset + i] ?? [null, {}];
      if (err) throw err;
      const fields = (value ?? {}) as Record<string, string>;
      perRoom.set(room, fields);
      for (const n of Object.keys(fields)) nodes.add(n);
    });
    const alive = await this.aliveNodes([...nodes]);
    const totals = new Map<string, RoomTotal>();
    const cleanup = this.redis.pipeline();
    let dead = 0;
    for (const [room, fields] of perRoom) {
      let viewerCount = 0;
      let leaderNode: string | undefined;
      for (const [n, value] of Object.entries(fields)) {
        if (!alive.has(n)) {
          cleanup.hdel(this.roomKey(room), n);
          dead++;
          continue;
        }
        viewerCount += Number(value) || 0;
        if (leaderNode === undefined || n < leaderNode) leaderNode = n;
      }
      totals.set(room, { viewerCount, leader: leaderNode === nodeId });
    }
    if (dead > 0) await cleanup.exec();
    return totals;
  }

  private async aliveNodes(nodes: string[]): Promise<Set<string>> {
    const alive = new Set<string>([this.member]);
    const others = nodes.filter((n) => n !== this.member);
    if (others.length === 0) return alive;
    const values = await this.redis.mget(others.map((n) => this.aliveKey(n)));
    others.forEach((n, i) => values[i] !== null && alive.add(n));
    return alive;
  }

  async stop(): Promise<void> {
    try {
      const p = this.redis.pipeline();
      for (const room of this.reported) p.hdel(this.roomKey(room), this.member);
      p.del(this.aliveKey(this.member));
      await p.exec();
    } finally {
      this.reported.clear();
      this.bounded.close();
    }
  }
}
