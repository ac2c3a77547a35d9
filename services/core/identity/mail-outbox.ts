/**
 * Durable outgoing mail. A mail is a row of mail_outbox, written in the
 * transaction of what caused it (when there is one), so a registration or
 * a reset request commits with its mail or not at all, and an SMTP outage
 * or a restart loses nothing: a worker on every identity node claims due
 * rows with a lease (FOR UPDATE SKIP LOCKED: two nodes never take one row),
 * sends them and deletes them. A failed send is retried with exponential
 * backoff; after the last attempt the row is kept with failed_at, logged as
 * an error, for an operator. The mail's address and body (with its
 * single-use link) are stored sealed under the key-encryption secret.
 */
import { randomUUID } from "node:crypto";
import { getConfig } from "../../../lib/config";
import type { OutgoingMail } from "../../../lib/mail";
import { retryDelayMs } from "../../../mixins/durable-events/backoff";
import type { IdentityThis } from "./identity.context";
import { open, seal } from "./secret-box";

const SEAL_PURPOSE = "mail-outbox";

export interface MailOutboxSettings {
  /** How often a worker looks for due mail (a new mail on this node is sent at once, without waiting). */
  pollMs: number;
  /** Mails claimed per query. */
  batch: number;
  /** Attempts before a mail is given up (kept with failed_at). */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claimed mail stays taken by its worker (a crashed worker's mail is retried after it). */
  leaseMs: number;
  /** Given-up mails are purged after this long. */
  keepFailedMs: number;
}

export const DEFAULT_MAIL_OUTBOX: MailOutboxSettings = {
  pollMs: 5000,
  batch: 20,
  maxAttempts: 12,
  retryBaseMs: 5000,
  retryMaxMs: 30 * 60_000,
  leaseMs: 60_000,
  keepFailedMs: 7 * 86_400_000,
};

/** The service's `settings.mailOutbox` (tests shorten the timings) over the defaults. */
export function mailOutboxSettings(svc: IdentityThis): MailOutboxSettings {
  return { ...DEFAULT_MAIL_OUTBOX, ...(svc.settings.mailOutbox as Partial<MailOutboxSettings> | undefined) };
}

const secret = (): string => getConfig().auth.keyEncryptionSecret;

/** Queues a mail; inside a transaction it commits (and is sent) with it. */
export async function enqueueMail(svc: IdentityThis, mail: OutgoingMail): Promise<void> {
  await svc.stores.mailOutbox.insert({
    id: randomUUID(),
    subject: mail.subject,
    sealed: seal(JSON.stringify({ to: mail.to, subject: mail.subject, text: mail.text }), secret(), SEAL_PURPOSE),
    attempts: 0,
    nextAttemptAt: new Date(),
    leaseUntil: null,
    lastError: null,
    failedAt: null,
  });
  svc.db.afterCommit(() => svc.mailWorker?.kick());
}

interface ClaimedRow {
  id: string;
  subject: string;
  sealed: string;
  attempts: number;
}

export class MailWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly svc: IdentityThis,
    private readonly settings: MailOutboxSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: Error) => this.svc.logger.warn("Mail outbox pass failed; will retry", err.message))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends every due mail; resolves when none is left. */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.claim();
      for (const row of claimed) await this.deliver(row);
      if (claimed.length < this.settings.batch) return;
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = new Date();
    return this.svc.db.query<ClaimedRow>(
      `UPDATE mail_outbox SET lease_until = $2, attempts = attempts + 1, updated_at = $1
        WHERE id IN (SELECT id FROM mail_outbox
                      WHERE failed_at IS NULL AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                      ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, subject, sealed, attempts`,
      [now, new Date(now.getTime() + this.settings.leaseMs), this.settings.batch],
    );
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    let mail: OutgoingMail;
    try {
      mail = JSON.parse(open(row.sealed, secret(), SEAL_PURPOSE)) as OutgoingMail;
    } catch (err) {
      // Sealed under another secret (rotated without migration): it can never be sent.
      await this.giveUp(row, `cannot be opened: ${(err as Error).message}`);
      return;
    }
    try {
      await this.svc.mailer.send(mail);
    } catch (err) {
      await this.failed(row, (err as Error).message);
      return;
    }
    await this.svc.stores.mailOutbox.removeById(row.id);
  }

  private async failed(row: ClaimedRow, error: string): Promise<void> {
    if (row.attempts >= this.settings.maxAttempts) return this.giveUp(row, error);
    const delay = retryDelayMs(row.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs);
    this.svc.logger.warn(`Mail "${row.subject}" not sent (attempt ${row.attempts}); retrying in ${delay} ms`, error);
    await this.svc.stores.mailOutbox.updateById(row.id, {
      nextAttemptAt: new Date(Date.now() + delay),
      leaseUntil: null,
      lastError: error.slice(0, 1000),
    });
  }

  private async giveUp(row: ClaimedRow, error: string): Promise<void> {
    this.svc.logger.error(`Mail "${row.subject}" given up after ${row.attempts} attempts`, error);
    await this.svc.stores.mailOutbox.updateById(row.id, {
      failedAt: new Date(),
      leaseUntil: null,
      lastError: error.slice(0, 1000),
    });
  }
}

/** Drops given-up mails older than keepFailedMs (hourly, with the session purge). */
export async function purgeFailedMail(svc: IdentityThis, keepFailedMs: number): Promise<number> {
  return svc.stores.mailOutbox.removeMany({ failedAt: { $lt: new Date(Date.now() - keepFailedMs) } });
}
