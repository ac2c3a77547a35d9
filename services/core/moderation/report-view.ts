import type { AuditDoc, AuditView, ReportDoc, ReportEntryDoc, ReportReason, ReportView } from "./report.types";

export function toReportView(r: ReportDoc, entries: readonly ReportEntryDoc[] = []): ReportView {
  const reasons: Partial<Record<ReportReason, number>> = {};
  for (const e of entries) reasons[e.reason] = (reasons[e.reason] ?? 0) + 1;
  return {
    id: r.id,
    targetKind: r.targetKind,
    targetId: r.targetId,
    channelId: r.channelId,
    targetUserId: r.targetUserId,
    contextId: r.contextId,
    snapshot: r.snapshot,
    status: r.status,
    reportCount: r.reportCount,
    reasons,
    lastReportedAt: r.lastReportedAt.toISOString(),
    action: r.action,
    resolvedBy: r.resolvedBy,
    resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
    resolutionReason: r.resolutionReason,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export function toAuditView(a: AuditDoc): AuditView {
  return {
    id: a.id,
    reportId: a.reportId,
    actorId: a.actorId,
    action: a.action,
    targetKind: a.targetKind,
    targetId: a.targetId,
    channelId: a.channelId,
    targetUserId: a.targetUserId,
    reason: a.reason,
    details: a.details,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}
