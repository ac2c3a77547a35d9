/**
 * What a realtime node injects into its gateway: everything cluster-facing
 * (fan-out, viewer store, chat and channels services through the backend)
 * and the node's settings, metrics and tracing. realtime.service.ts builds
 * it; tests and benchmarks swap any part.
 */
import type { LoggerInstance, Span } from "moleculer";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import type { RoomFanout } from "./fanout";
import type { HistoryWriter } from "./history-writer";
import type { RealtimeMetrics } from "./metrics";
import type { RealtimeBackend } from "./realtime-backend";
import type { RealtimeSettings } from "./realtime-settings";
import type { ViewerCountStore } from "./viewer-counts";

export interface GatewayDeps {
  settings: RealtimeSettings;
  logger: LoggerInstance;
  verifier: TokenVerifier;
  fanout: RoomFanout;
  viewers: ViewerCountStore;
  metrics: RealtimeMetrics;
  history: HistoryWriter | null;
  backend: RealtimeBackend;
  /** Starts a root span (tracing on): each accepted chat message gets one. */
  startSpan?: (name: string, tags: Record<string, string>) => Span;
}
