/**
 * Filing and reading reports. Anyone logged in reports a target with a
 * reason (and optional text); an open report of the same target absorbs it
 * (one entry per reporter, the count grows), so a brigade is one queue item.
 * Filing is rate-limited per user. Admins read the whole queue; a channel's
 * broadcaster and moderators read its chat and comment reports.
 */
import { requireUser } from "../../../lib/auth/ownership";
import { ForbiddenError, NotFoundError, RateLimitedError } from "../../../lib/errors";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { checkLimit } from "../../../lib/rate-limit";
import { toPlainText } from "../../../lib/text/plain-text";
import type { ModerationContext, ModerationThis } from "./moderation.context";
import { requireQueueAccess } from "./report-access";
import { resolveTarget, type TargetRef } from "./report-targets";
import { toAuditView, toReportView } from "./report-view";
import {
  CHANNEL_SCOPED,
  type AuditView,
  type ReportDoc,
  type ReportReason,
  type ReportReceipt,
  type ReportView,
  type TargetKind,
} from "./report.types";

export interface CreateReportParams extends TargetRef {
  reason: ReportReason;
  text?: string;
}

export interface ListReportsParams extends CursorPageParams {
  channelId?: string;
  status?: "open" | "resolved";
  targetKind?: TargetKind;
}

export async function createReport(
  svc: ModerationThis,
  ctx: ModerationContext<CreateReportParams>,
): Promise<ReportReceipt> {
  const user = requireUser(ctx);
  const p = ctx.params;
  if (p.targetKind === "user" && p.targetId === user.id) throw new ForbiddenError("You cannot report yourself");
  const limit = svc.settings.reportRateLimit;
  const decision = await checkLimit(svc.limits, `report:${user.id}`, limit.max, limit.windowMs);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
  const target = await resolveTarget(ctx, p);
  const text = toPlainText(p.text ?? "")
    .trim()
    .slice(0, 1000);
  const now = new Date();
  return svc.db.transaction(async () => {
    let report = await svc.stores.reports.findOne({ targetKind: p.targetKind, targetId: p.targetId, status: "open" });
    if (!report) {
      // The unique open-target index makes a concurrent first report of the same target fail here: retry it.
      report = await svc.stores.reports.insert({
        targetKind: p.targetKind,
        targetId: p.targetId,
        ...target,
        snapshot: target.snapshot.slice(0, 2000),
        status: "open",
        reportCount: 0,
        lastReportedAt: now,
        action: null,
        resolvedBy: null,
        resolvedAt: null,
        resolutionReason: null,
      });
    }
    const recorded = await svc.stores.entries.insertIfAbsent({
      id: `${report.id}:${user.id}`,
      reportId: report.id,
      reporterId: user.id,
      reason: p.reason,
      text,
    });
    if (recorded) {
      await svc.stores.reports.increment(report.id, "reportCount", 1);
      await svc.stores.reports.updateById(report.id, { lastReportedAt: now });
    }
    return { reportId: report.id, targetKind: p.targetKind, targetId: p.targetId, recorded };
  });
}

export async function listReports(
  svc: ModerationThis,
  ctx: ModerationContext<ListReportsParams>,
): Promise<CursorPage<ReportView>> {
  const { admin } = await requireQueueAccess(ctx, ctx.params.channelId);
  const p = ctx.params;
  const values: unknown[] = [p.status ?? "open"];
  const where = ["status = $1"];
  if (p.channelId) {
    values.push(p.channelId);
    where.push(`channel_id = $${values.length}`);
  }
  if (!admin) {
    values.push(CHANNEL_SCOPED);
    where.push(`target_kind = ANY($${values.length})`);
  }
  if (p.targetKind) {
    values.push(p.targetKind);
    where.push(`target_kind = $${values.length}`);
  }
  if (p.cursor) {
    const [at, id] = decodeCursor(p.cursor, 2);
    values.push(new Date(Number(at)), String(id));
    where.push(`(last_reported_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  const limit = pageLimit(p);
  values.push(limit + 1);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM reports WHERE ${where.join(" AND ")} ORDER BY last_reported_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const byId = new Map((await svc.stores.reports.findByIds(rows.map((r) => r.id))).map((r) => [r.id, r]));
  const docs = rows.flatMap((r) => byId.get(r.id) ?? []);
  const page = docs.slice(0, limit);
  const entries = await svc.stores.entries.find({ query: { reportId: { $in: page.map((r) => r.id) } } });
  const last = page[page.length - 1];
  return {
    items: page.map((r) =>
      toReportView(
        r,
        entries.filter((e) => e.reportId === r.id),
      ),
    ),
    nextCursor: docs.length > limit && last ? encodeCursor([last.lastReportedAt.getTime(), last.id]) : null,
  };
}

/** A report the caller may handle: admins any; channel staff their channel's chat and comment reports. */
export async function loadHandledReport(svc: ModerationThis, ctx: ModerationContext, id: string): Promise<ReportDoc> {
  const report = await svc.stores.reports.findById(id);
  if (!report) throw new NotFoundError("Report", id);
  const { admin } = await requireQueueAccess(ctx, report.channelId);
  if (!admin && !CHANNEL_SCOPED.includes(report.targetKind))
    throw new ForbiddenError("Reports of channels, streams, videos and users are handled by admins");
  return report;
}

export async function getReport(svc: ModerationThis, ctx: ModerationContext<{ id: string }>): Promise<ReportView> {
  const report = await loadHandledReport(svc, ctx, ctx.params.id);
  return toReportView(report, await svc.stores.entries.find({ query: { reportId: report.id } }));
}

/** The audit log, newest first: all of it for admins, one channel's for its staff. */
export async function listAudit(
  svc: ModerationThis,
  ctx: ModerationContext<{ channelId?: string } & CursorPageParams>,
): Promise<CursorPage<AuditView>> {
  await requireQueueAccess(ctx, ctx.params.channelId);
  const values: unknown[] = [];
  const where: string[] = ["true"];
  if (ctx.params.channelId) {
    values.push(ctx.params.channelId);
    where.push(`channel_id = $${values.length}`);
  }
  if (ctx.params.cursor) {
    const [at, id] = decodeCursor(ctx.params.cursor, 2);
    values.push(new Date(Number(at)), String(id));
    where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  const limit = pageLimit(ctx.params);
  values.push(limit + 1);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM audit_log WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const byId = new Map((await svc.stores.audit.findByIds(rows.map((r) => r.id))).map((a) => [a.id, a]));
  const docs = rows.flatMap((r) => byId.get(r.id) ?? []);
  const page = docs.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toAuditView),
    nextCursor: docs.length > limit && last ? encodeCursor([new Date(last.createdAt).getTime(), last.id]) : null,
  };
}
