/**
 * Per-room viewer counts across realtime nodes. Each node reports its own
 * local counts on every tick and reads back the cluster totals; a node that
 * stops reporting (killed) drops out of the totals once its liveness key
 * expires. One driver per file, picked by config.
 */

export interface RoomTotal {
  viewerCount: number;
  /** True on exactly one live node per room: that node emits the analytics sample. */
  leader: boolean;
}

export interface ViewerCountStore {
  readonly driver: "memory" | "redis";
  /** Reports local counts (0 means this node left the room) and returns cluster totals for the rooms reported. */
  sync(localCounts: ReadonlyMap<string, number>): Promise<Map<string, RoomTotal>>;
  /** Removes this node's contribution everywhere (graceful shutdown). */
  stop(): Promise<void>;
}
