/**
 * From a durable event to notifications: every catalog entry of the event
 * makes its plan; named recipients are written in the handler's transaction
 * (committed with the event's dedupe mark), followers become a fan-out row
 * that the fan-out workers take. Go-live alerts collapse per channel.
 */
import { Errors } from "moleculer";
import { callAction } from "../../../lib/contracts";
import type { DurableEventMap, DurableEventName } from "../../../mixins/durable-events";
import "../../core/channels/channels.contract";
import "../../core/users/users.contract";
import { NOTIFICATION_TYPES } from "./catalog";
import type { AnyNotificationType, Lookup, NotificationPlan, NotificationTypeSpec } from "./catalog.types";
import { announce, insertNotifications } from "./deliver";
import type { NotificationsThis } from "./notifications.context";

/** The events the catalog consumes (each once, whatever number of types it feeds). */
export const CONSUMED_EVENTS = [...new Set(NOTIFICATION_TYPES.map((t) => t.event))];

function isNotFound(err: unknown): boolean {
  return err instanceof Errors.MoleculerError && err.code === 404;
}

/** Lookups through the owning services; a deleted channel or user is null (the event is skipped, not retried). */
export function serviceLookup(svc: NotificationsThis): Lookup {
  return {
    async channel(id) {
      try {
        const c = await callAction(svc.broker, "channels.get", { id });
        return { id: c.id, slug: c.slug, title: c.title, ownerId: c.ownerId };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async user(id) {
      try {
        const u = await callAction(svc.broker, "users.get", { id });
        return { id: u.id, username: u.username, displayName: u.displayName };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
  };
}

/** Handles one event (inside the durable handler's transaction). */
export async function handleEvent<N extends DurableEventName>(
  svc: NotificationsThis,
  event: N,
  payload: DurableEventMap[N],
  lookup: Lookup = serviceLookup(svc),
): Promise<void> {
  for (const spec of NOTIFICATION_TYPES) {
    if (spec.event !== event) continue;
    const typed = spec as unknown as NotificationTypeSpec<N>;
    const plan = await typed.plan(payload, lookup);
    if (!plan) continue;
    if ("followersOf" in plan.recipients) await startFanout(svc, spec, plan, payload);
    else {
      const inserted = await insertNotifications(svc, spec, plan, plan.recipients.userIds);
      svc.db.afterCommit(() => {
        announce(svc, spec, plan, inserted).catch((err: Error) =>
          svc.logger.warn(`live push of ${spec.type} failed (inbox rows are stored): ${err.message}`),
        );
      });
    }
  }
}

async function startFanout(
  svc: NotificationsThis,
  spec: AnyNotificationType,
  plan: NotificationPlan,
  payload: unknown,
): Promise<void> {
  const channelId = plan.channelId as string;
  if (spec.collapseWindowMs !== undefined && !(await firstAlertInWindow(svc, spec, plan, payload))) return;
  const created = await svc.db.query<{ id: string }>(
    `INSERT INTO fanouts (id, type, channel_id, template) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [`${spec.type}:${plan.sourceKey}`, spec.type, channelId, JSON.stringify(plan)],
  );
  if (created.length > 0) svc.db.afterCommit(() => svc.fanouts?.wake());
}

/**
 * Go-live collapse: a channel alerts at most once per window (measured from
 * its last alert, by the sessions' start times). A restart inside the window
 * is counted, not sent.
 */
async function firstAlertInWindow(
  svc: NotificationsThis,
  spec: AnyNotificationType,
  plan: NotificationPlan,
  payload: unknown,
): Promise<boolean> {
  const startedAt = (payload as { startedAt?: string }).startedAt ?? new Date().toISOString();
  const sessionId = String(plan.rendered.data.sessionId ?? plan.sourceKey);
  const rows = await svc.db.query<{ session_id: string }>(
    `INSERT INTO live_alerts (channel_id, session_id, alerted_at) VALUES ($1, $2, $3::timestamptz)
     ON CONFLICT (channel_id) DO UPDATE SET session_id = EXCLUDED.session_id, alerted_at = EXCLUDED.alerted_at
      WHERE live_alerts.session_id = EXCLUDED.session_id
         OR live_alerts.alerted_at <= EXCLUDED.alerted_at - $4 * interval '1 millisecond'
     RETURNING session_id`,
    [plan.channelId, sessionId, startedAt, spec.collapseWindowMs],
  );
  if (rows.length > 0) return true;
  await svc.db.query("UPDATE live_alerts SET suppressed = suppressed + 1 WHERE channel_id = $1", [plan.channelId]);
  svc.logger.info(`go-live alert of channel ${plan.channelId} collapsed (restart within the window)`);
  return false;
}
