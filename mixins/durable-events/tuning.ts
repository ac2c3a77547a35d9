/**
 * Timing knobs of durable delivery. Production uses the defaults; tests
 * shrink them so retries and sweeps happen in milliseconds, not seconds.
 */
export interface DurableEventsTuning {
  /** First retry delay; doubles per failed delivery up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often each DB service sweeps its outbox for rows the after-commit relay missed (crash, broker down). */
  relayIntervalMs: number;
  /** Rows relayed per sweep batch. */
  relayBatchSize: number;
  /** How long a Redis/memory dedupe claim protects an event being handled before another delivery may take it. */
  claimTtlMs: number;
  /** How long "already handled" marks are kept in Redis/memory (DB services keep them in processed_events). */
  processedTtlMs: number;
  /** Tests turn the after-commit relay off to simulate a crash between commit and relay. */
  relayAfterCommit: boolean;
  /** Tests turn the periodic sweep off to control exactly when relaying happens. */
  relaySweep: boolean;
  /**
   * In-process adapter queues: "auto" keeps them in the node's database when a
   * local service has one (durable across crashes), in memory otherwise;
   * operators' tools force "sql".
   */
  inProcessStore: "auto" | "memory" | "sql";
  /** How often the dead-letter depth gauge is refreshed (0: never). */
  deadLetterGaugeMs: number;
}

export const DEFAULT_TUNING: DurableEventsTuning = {
  retryBaseMs: 500,
  retryMaxMs: 5000,
  relayIntervalMs: 2000,
  relayBatchSize: 500,
  // Below JetStream's 30 s ack wait: after a crash mid-handler, the redelivery finds the claim expired.
  claimTtlMs: 25_000,
  processedTtlMs: 7 * 24 * 3600 * 1000,
  relayAfterCommit: true,
  relaySweep: true,
  inProcessStore: "auto",
  deadLetterGaugeMs: 30_000,
};

export function resolveTuning(overrides: Partial<DurableEventsTuning> = {}): DurableEventsTuning {
  return { ...DEFAULT_TUNING, ...overrides };
}
