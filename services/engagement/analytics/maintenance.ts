/**
 * The periodic work of an analytics node: rollups of the dirty hours every
 * `rollupIntervalS`, and (at start, then hourly) partitions ahead, partitions
 * past retention dropped, old rollups pruned, past days' viewer keys deleted.
 * Any node may run it; the rollups and the DDL take advisory locks, so nodes
 * never do the same work twice at once.
 */
import type { AnalyticsThis } from "./analytics.context";
import { DAY_MS, HOUR_MS, dayOf } from "./buckets";
import { pruneRollups, runRollups } from "./rollups";

/** Yesterday's key is kept for late events of yesterday; older keys are deleted. */
export const KEY_GRACE_DAYS = 1;

export async function housekeeping(svc: AnalyticsThis, now = Date.now()): Promise<void> {
  await svc.partitions.maintain(now);
  await svc.viewerKeys.forgetBefore(dayOf(now) - KEY_GRACE_DAYS * DAY_MS);
  await pruneRollups(svc.db, dayOf(now) - svc.policy.rollupRetentionDays * DAY_MS);
}

export function startMaintenance(svc: AnalyticsThis): void {
  const intervalMs = svc.policy.rollupIntervalS * 1000;
  if (intervalMs <= 0) return;
  let lastHousekeeping = Date.now();
  const tick = async () => {
    try {
      await svc.buffer.flush();
      await runRollups(svc.db);
      if (Date.now() - lastHousekeeping >= HOUR_MS) {
        lastHousekeeping = Date.now();
        await housekeeping(svc);
      }
    } catch (err) {
      svc.logger.warn(`analytics maintenance failed (next run in ${svc.policy.rollupIntervalS} s): ${String(err)}`);
    }
    if (svc.maintenanceTimer) svc.maintenanceTimer = setTimeout(() => void tick(), intervalMs);
  };
  svc.maintenanceTimer = setTimeout(() => void tick(), intervalMs);
}

export function stopMaintenance(svc: AnalyticsThis): void {
  if (svc.maintenanceTimer) clearTimeout(svc.maintenanceTimer);
  svc.maintenanceTimer = undefined;
}
