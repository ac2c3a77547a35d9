/**
 * The actions a realtime node offers (operators, the REPL, tests): its own
 * counters and what it knows of a room. realtime.service.ts is checked
 * against it with `satisfies ServiceActions<"realtime", RealtimeThis>`.
 */
import type { RealtimeStats } from "./metrics";
import type { ViewersParams } from "./realtime.params";

export interface StatsResult extends RealtimeStats {
  nodeId: string;
  port: number;
  fanout: string;
  viewerStore: string;
}

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** This node's connection and traffic counters, and the port it listens on. */
    "realtime.stats": { params: Record<string, never>; result: StatsResult };
    /** The last cluster-wide viewer count this node knows for a room (0 when it has no members here). */
    "realtime.viewers": { params: ViewersParams; result: { channelId: string; viewerCount: number } };
  }
}
