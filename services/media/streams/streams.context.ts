/** The typed `this` of the streams service and its settings; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { DbMixinThis } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { MediaProvider } from "./media-provider";
import type { StreamsModels } from "./streams.entities";

export interface StreamsSettings {
  /** How often ingest health is sampled and stored. */
  healthIntervalMs: number;
  segmentSeconds: number;
  playlistSize: number;
  /** Health samples returned to the owner. */
  healthSamplesShown: number;
  /**
   * Health samples older than this (before the newest of the session) are
   * deleted; a new session of the channel deletes the previous sessions'.
   */
  healthRetentionS: number;
  /** aws provider: MediaLive state polling interval. */
  awsPollIntervalMs: number;
  /** How often to look for sessions abandoned by a node that left the cluster (0: never). */
  abandonedSweepIntervalMs: number;
}

export interface StreamsThis extends Service<StreamsSettings>, DbMixinThis<StreamsModels>, DurableEventsMethods {
  provider: MediaProvider;
  /** Reconnect grace timers, by session id (this node's broadcasters only). */
  graceTimers: Map<string, NodeJS.Timeout>;
  /** Sessions being ended, so a timer and an explicit end never run twice. */
  endingSessions: Map<string, Promise<void>>;
  /**
   * Set while the node shuts down: broadcasters dropped by the shutdown leave
   * their sessions open for recovery (same NODE_ID at restart, or the next
   * publish once this node has left the registry) instead of racing the DB close.
   */
  stopping: boolean;
  /** Periodic sweep for sessions whose ingest node is gone (see sweepAbandonedSessions). */
  abandonedSweepTimer?: NodeJS.Timeout;
}
