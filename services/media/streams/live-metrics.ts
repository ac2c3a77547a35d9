/**
 * Live ingest metrics of this node, taken at the provider callbacks:
 * broadcasters connected, their summed ingest bitrate, publishes by outcome
 * and packager (ffmpeg) failures. Every series exists from boot at 0, so an
 * alert on a rate sees the first failure, not the second.
 */
import type { ServiceBroker } from "moleculer";
import type { ProviderCallbacks } from "./media-provider";

const M = {
  sessions: "arena.live.sessions",
  bitrate: "arena.live.ingest.bits_per_second",
  publishes: "arena.live.publishes.total",
  packagerFailures: "arena.live.packager.failures.total",
} as const;

type PublishOutcome = "accepted" | "refused" | "failed";
const OUTCOMES: PublishOutcome[] = ["accepted", "refused", "failed"];

export function meteredCallbacks(broker: ServiceBroker, inner: ProviderCallbacks): ProviderCallbacks {
  if (!broker.isMetricsEnabled()) return inner;
  const metrics = broker.metrics;
  if (!metrics.getMetric(M.sessions)) {
    metrics.register({ name: M.sessions, type: "gauge", description: "Live sessions with a broadcaster on this node" });
    metrics.register({
      name: M.bitrate,
      type: "gauge",
      description: "Ingest bitrate of this node's broadcasters, summed (last health sample of each)",
    });
    metrics.register({
      name: M.publishes,
      type: "counter",
      labelNames: ["outcome"],
      description: "RTMP publishes: accepted, refused (bad or suspended key) or failed (session could not open)",
    });
    metrics.register({
      name: M.packagerFailures,
      type: "counter",
      description: "Live packagers (ffmpeg) that died under a broadcaster, who is dropped to reconnect",
    });
  }
  const bitrates = new Map<string, number>();
  /** Session of each connected broadcaster, by connection: a replaced publisher stops after its successor started. */
  const live = new Map<string, string>();
  const liveSessions = (): Set<string> => new Set(live.values());
  const refresh = (): void => {
    metrics.set(M.sessions, liveSessions().size);
    metrics.set(
      M.bitrate,
      [...bitrates.values()].reduce((a, b) => a + b, 0),
    );
  };
  refresh();
  for (const outcome of OUTCOMES) metrics.increment(M.publishes, { outcome }, 0);
  metrics.increment(M.packagerFailures, undefined, 0);
  const count = (outcome: PublishOutcome): void => metrics.increment(M.publishes, { outcome });

  return {
    async authorizeStreamKey(streamKey) {
      try {
        const authorization = await inner.authorizeStreamKey(streamKey);
        if (!authorization) count("refused");
        return authorization;
      } catch (err) {
        count("refused");
        throw err;
      }
    },
    async publishStarted(event) {
      try {
        const assignment = await inner.publishStarted(event);
        count("accepted");
        live.set(event.connectionId, assignment.sessionId);
        refresh();
        return assignment;
      } catch (err) {
        count("failed");
        throw err;
      }
    },
    publishStopped(event) {
      live.delete(event.connectionId);
      if (!liveSessions().has(event.sessionId)) bitrates.delete(event.sessionId);
      refresh();
      inner.publishStopped(event);
    },
    healthSampled(event) {
      if (liveSessions().has(event.sessionId)) {
        bitrates.set(event.sessionId, event.sample.bitrateKbps * 1000);
        refresh();
      }
      inner.healthSampled(event);
    },
    packagerFailed(event) {
      metrics.increment(M.packagerFailures);
      inner.packagerFailed?.(event);
    },
  };
}
