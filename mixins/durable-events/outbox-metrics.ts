/**
 * Outbox backlog as metrics: how many committed events still wait for the
 * relay, and how old the oldest one is (the lag a consumer sees at best).
 * Measured by the relay's periodic sweep, per database schema (one per
 * service); both gauges read 0 on a healthy node, so alerts and dashboards
 * have a series from boot.
 */
import type { ServiceBroker } from "moleculer";
import type { OutboxDb } from "./outbox-store";

export const OUTBOX_PENDING_METRIC = "arena.durable_events.outbox.pending";
export const OUTBOX_LAG_METRIC = "arena.durable_events.outbox.lag.seconds";

export interface OutboxBacklog {
  pending: number;
  oldestSeconds: number;
}

export async function readOutboxBacklog(db: OutboxDb): Promise<OutboxBacklog> {
  const [row] = await db.query<{ pending: number | string; oldest_s: number | string | null }>(
    `SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest_s
       FROM "${db.schema.replace(/"/g, '""')}".outbox WHERE published_at IS NULL`,
  );
  return { pending: Number(row?.pending ?? 0), oldestSeconds: Math.max(0, Number(row?.oldest_s ?? 0)) };
}

/** Sets the two gauges for `schema`; a no-op without metrics. */
export function reportOutboxBacklog(broker: ServiceBroker, schema: string, backlog: OutboxBacklog): void {
  if (!broker.isMetricsEnabled()) return;
  const metrics = broker.metrics;
  if (!metrics.getMetric(OUTBOX_PENDING_METRIC)) {
    metrics.register({
      type: "gauge",
      name: OUTBOX_PENDING_METRIC,
      labelNames: ["schema"],
      description: "Committed durable events not yet handed to the broker",
    });
    metrics.register({
      type: "gauge",
      name: OUTBOX_LAG_METRIC,
      labelNames: ["schema"],
      description: "Age of the oldest committed durable event not yet handed to the broker (0: none waiting)",
    });
  }
  metrics.set(OUTBOX_PENDING_METRIC, backlog.pending, { schema });
  metrics.set(OUTBOX_LAG_METRIC, backlog.oldestSeconds, { schema });
}
