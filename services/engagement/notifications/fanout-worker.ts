/**
 * Fan-out to a channel's followers, resumable. A fan-out is a row
 * (`fanouts`) written by the event handler; any notifications node takes it
 * under a lease and walks the followers in keyset pages
 * (users.followerBatch, by user id). Each page is one transaction: the inbox
 * rows, their push jobs and the fan-out's new position (`after_user`) commit
 * together, under a check that this node still holds the lease. A node that
 * dies mid fan-out leaves its lease to expire; the next node resumes right
 * after the last committed follower, so nobody is skipped, and the
 * (user, source) key means nobody is notified twice.
 */
import { callAction } from "../../../lib/contracts";
import "../../core/users/users.contract";
import type { NotificationPlan } from "./catalog.types";
import { typeSpec } from "./catalog";
import { announce, insertNotifications, type InsertResult } from "./deliver";
import type { NotificationsThis } from "./notifications.context";
import { PollLoop } from "./poll-loop";

interface FanoutRow {
  id: string;
  type: string;
  channel_id: string;
  template: NotificationPlan;
  after_user: string;
}

export interface FanoutHooks {
  /** Tests: called before each page is committed (throw to simulate a node dying there). */
  beforeCommit?(fanoutId: string, batch: number): void | Promise<void>;
}

export class FanoutWorker {
  private readonly loop: PollLoop;
  private stopping = false;
  hooks: FanoutHooks = {};

  constructor(private readonly svc: NotificationsThis) {
    this.loop = new PollLoop(
      () => this.runOne(),
      svc.settings.pollMs,
      (err) => svc.logger.warn(`fan-out pass failed, retrying at the next poll: ${err.message}`),
    );
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    this.stopping = true;
    return this.loop.stop();
  }

  /** Takes one fan-out whose lease is free and runs it to the end; false when there was none. */
  async runOne(): Promise<boolean> {
    const { svc } = this;
    const [row] = await svc.db.query<FanoutRow>(
      `UPDATE fanouts SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
        WHERE id = (SELECT id FROM fanouts
                     WHERE state = 'running' AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, type, channel_id, template, after_user`,
      [svc.owner, svc.settings.fanoutLeaseMs],
    );
    if (!row) return false;
    await this.run(row);
    return true;
  }

  private async run(row: FanoutRow): Promise<void> {
    const { svc } = this;
    const spec = typeSpec(row.type);
    const plan = row.template;
    const except = new Set("followersOf" in plan.recipients ? (plan.recipients.except ?? []) : []);
    const fetchPage = (after: string) => {
      const page = callAction(svc.broker, "users.followerBatch", {
        channelId: row.channel_id,
        after: after || undefined,
        limit: svc.settings.fanoutBatchSize,
      });
      page.catch(() => undefined); // awaited below; a prefetch abandoned by a stop must not be an unhandled rejection
      return page;
    };
    // Three stages overlap: the next page is read while this one is written, and the
    // live push of a committed page runs while the next one is written (in order, at most two behind).
    let nextPage = fetchPage(row.after_user);
    const pushes: Array<Promise<void>> = [];
    let batch = 0;
    try {
      while (!this.stopping) {
        const page = await nextPage;
        const last = page.userIds[page.userIds.length - 1] ?? row.after_user;
        const done = page.after === null;
        if (!done) nextPage = fetchPage(last);
        const userIds = page.userIds.filter((id) => !except.has(id));
        batch++;
        const inserted = await this.commitPage(row, spec, plan, userIds, last, done, batch);
        if (inserted === null) {
          svc.logger.warn(`fan-out ${row.id}: lease lost to another node, leaving it`);
          return;
        }
        if (spec && inserted.rows.length > 0) {
          const previous = pushes[pushes.length - 1] ?? Promise.resolve();
          pushes.push(
            previous.then(() =>
              announce(svc, spec, plan, inserted).catch((err: Error) =>
                svc.logger.warn(`fan-out ${row.id}: live push failed (inbox rows are stored): ${err.message}`),
              ),
            ),
          );
          if (pushes.length > 2) await pushes[pushes.length - 3];
        }
        if (done) return;
      }
      // Stopping: release the lease so another node continues at once rather than after it expires.
      await svc.db.query(
        "UPDATE fanouts SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
        [row.id, svc.owner],
      );
    } finally {
      await Promise.all(pushes);
    }
  }

  /** One page in one transaction, under the lease: inbox rows, push jobs and the new position. null: lease lost. */
  private async commitPage(
    row: FanoutRow,
    spec: ReturnType<typeof typeSpec>,
    plan: NotificationPlan,
    userIds: string[],
    last: string,
    done: boolean,
    batch: number,
  ): Promise<InsertResult | null> {
    const { svc } = this;
    return svc.db.transaction(async (): Promise<InsertResult | null> => {
      const held = await svc.db.query<{ id: string }>(
        "SELECT id FROM fanouts WHERE id = $1 AND lease_owner = $2 AND state = 'running' FOR UPDATE",
        [row.id, svc.owner],
      );
      if (held.length === 0) return null;
      const result = spec ? await insertNotifications(svc, spec, plan, userIds) : { rows: [], pushJobs: 0 };
      await this.hooks.beforeCommit?.(row.id, batch);
      await svc.db.query(
        `UPDATE fanouts SET after_user = $2, recipients = recipients + $3, batches = batches + 1,
                lease_until = now() + $4 * interval '1 millisecond',
                state = CASE WHEN $5 THEN 'done' ELSE 'running' END,
                finished_at = CASE WHEN $5 THEN now() ELSE NULL END,
                lease_owner = CASE WHEN $5 THEN NULL ELSE lease_owner END
          WHERE id = $1`,
        [row.id, last, result.rows.length, svc.settings.fanoutLeaseMs, done],
      );
      return result;
    });
  }
}
