/**
 * Durable push work. Push jobs are rows written with the inbox rows; every
 * notifications node claims due ones (FOR UPDATE SKIP LOCKED, under a lease)
 * and sends them through the configured provider. A token the provider
 * calls unregistered or invalid deletes the device; a transient failure
 * retries with doubling backoff up to pushMaxAttempts; every attempt is a
 * row in delivery_attempts. In-app delivery never waits for any of this.
 */
import type { NotificationsThis } from "./notifications.context";
import type { DeviceDoc } from "./notification.types";
import { PollLoop } from "./poll-loop";
import type { PushMessage, PushOutcome, PushProvider } from "./providers/provider";

interface ClaimedJob {
  id: string;
  notification_id: string;
  device_id: string;
  kind: "mobile" | "web";
  attempts: number;
}

interface MessageRow {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
}

/** Wait before attempt n+1 (n = attempts made): base, 2x, 4x... capped at 5 minutes. */
export function pushBackoffMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(lanes);
}

export class PushWorker {
  private readonly loop: PollLoop;

  constructor(
    private readonly svc: NotificationsThis,
    private readonly publicUrl: string,
  ) {
    this.loop = new PollLoop(
      () => this.runBatch(),
      svc.settings.pollMs,
      (err) => svc.logger.warn(`push pass failed, retrying at the next poll: ${err.message}`),
    );
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Claims and sends one batch of due jobs; false when none was due. */
  async runBatch(): Promise<boolean> {
    const { svc } = this;
    const { settings } = svc;
    const jobs = await svc.db.query<ClaimedJob>(
      `UPDATE push_jobs SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',
              attempts = attempts + 1, updated_at = now()
        WHERE id IN (SELECT id FROM push_jobs
                      WHERE state = 'pending' AND next_at <= now() AND (lease_until IS NULL OR lease_until < now())
                      ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, notification_id, device_id, kind, attempts`,
      [svc.owner, settings.pushLeaseMs, settings.pushBatchSize],
    );
    if (jobs.length === 0) return false;
    const [messages, devices] = await Promise.all([
      svc.db.query<MessageRow>("SELECT id, type, title, body, link FROM notifications WHERE id = ANY($1::text[])", [
        [...new Set(jobs.map((j) => j.notification_id))],
      ]),
      svc.stores.devices.findByIds([...new Set(jobs.map((j) => j.device_id))]),
    ]);
    const messageById = new Map(messages.map((m) => [m.id, m]));
    const deviceById = new Map(devices.map((d) => [d.id, d]));
    await mapLimit(jobs, settings.pushConcurrency, async (job) => {
      const message = messageById.get(job.notification_id);
      const device = deviceById.get(job.device_id);
      const provider = job.kind === "mobile" ? svc.providers.mobile : svc.providers.web;
      if (!message || !device || !provider) {
        await this.finish(job, "skipped", null, provider?.name ?? null, !device ? "device removed" : "no provider");
        return;
      }
      await this.sendOne(job, device, provider, this.toMessage(message));
    });
    return true;
  }

  private toMessage(row: MessageRow): PushMessage {
    return {
      notificationId: row.id,
      type: row.type,
      title: row.title,
      body: row.body,
      url: `${this.publicUrl}${row.link ?? "/notifications"}`,
    };
  }

  private async sendOne(job: ClaimedJob, device: DeviceDoc, provider: PushProvider, msg: PushMessage): Promise<void> {
    let outcome: PushOutcome;
    try {
      outcome = await provider.send(device, msg);
    } catch (err) {
      outcome = { status: "retry", error: (err as Error).message };
    }
    if (outcome.endpointArn && outcome.endpointArn !== device.endpointArn)
      await this.svc.db.query("UPDATE devices SET endpoint_arn = $2 WHERE id = $1", [device.id, outcome.endpointArn]);
    if (outcome.status === "sent") {
      await this.finish(job, "sent", null, provider.name, null);
      await this.svc.db.query("UPDATE devices SET last_used_at = now() WHERE id = $1", [device.id]);
    } else if (outcome.status === "invalid") {
      await this.svc.db.transaction(async () => {
        await this.finish(job, "invalid", null, provider.name, outcome.error);
        // The token is dead: the device goes, and its other queued pushes with it.
        await this.svc.db.query(
          "UPDATE push_jobs SET state = 'skipped', last_error = 'device removed', updated_at = now() WHERE device_id = $1 AND state = 'pending'",
          [device.id],
        );
        await this.svc.db.query("DELETE FROM devices WHERE id = $1", [device.id]);
      });
      this.svc.logger.info(`push: ${provider.name} reported device ${device.id} invalid (${outcome.error}); removed`);
    } else if (outcome.status === "failed" || job.attempts >= this.svc.settings.pushMaxAttempts) {
      await this.finish(job, "failed", null, provider.name, outcome.error);
    } else {
      const waitMs = pushBackoffMs(this.svc.settings.pushBackoffMs, job.attempts);
      await this.finish(job, "pending", waitMs, provider.name, outcome.error, "retry");
    }
  }

  /** Records the attempt and the job's new state (pending again with `retryInMs`). */
  private async finish(
    job: ClaimedJob,
    state: "sent" | "invalid" | "failed" | "skipped" | "pending",
    retryInMs: number | null,
    provider: string | null,
    error: string | null,
    attemptStatus: string = state,
  ): Promise<void> {
    const { db } = this.svc;
    await db.transaction(async () => {
      await db.query(
        `UPDATE push_jobs SET state = $2, last_error = $3, lease_owner = NULL, lease_until = NULL, updated_at = now(),
                next_at = CASE WHEN $4::bigint IS NULL THEN next_at ELSE now() + $4::bigint * interval '1 millisecond' END
          WHERE id = $1::bigint`,
        [job.id, state, error?.slice(0, 500) ?? null, retryInMs],
      );
      await db.query(
        `INSERT INTO delivery_attempts (notification_id, channel, provider, device_id, status, error, attempt)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          job.notification_id,
          job.kind,
          provider,
          job.device_id,
          attemptStatus,
          error?.slice(0, 500) ?? null,
          job.attempts,
        ],
      );
    });
  }
}
