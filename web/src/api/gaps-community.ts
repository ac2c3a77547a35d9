/**
 * Response bodies of the moderation routes (reports, audit) until the
 * OpenAPI document declares them; merged into ResponseGaps (gaps.ts), where
 * the staleness checks run. Each mirrors the action's result type on the
 * server (report.types.ts).
 */
import type { CursorPage } from "./schemas";

export const REPORT_TARGETS = ["channel", "stream", "video", "comment", "chat_message", "user"] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];
export const REPORT_REASONS = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual_content",
  "self_harm",
  "impersonation",
  "copyright",
  "other",
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export type ModerationAction = "dismiss" | "delete_content" | "timeout" | "ban" | "suspend_channel";

export interface ReportView {
  id: string;
  targetKind: ReportTarget;
  targetId: string;
  channelId: string | null;
  targetUserId: string | null;
  contextId: string | null;
  snapshot: string;
  status: "open" | "resolved";
  reportCount: number;
  reasons: Partial<Record<ReportReason, number>>;
  lastReportedAt: string;
  action: ModerationAction | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionReason: string | null;
  createdAt: string;
}

export interface AuditView {
  id: string;
  reportId: string | null;
  actorId: string;
  action: ModerationAction;
  targetKind: ReportTarget;
  targetId: string;
  channelId: string | null;
  targetUserId: string | null;
  reason: string;
  createdAt: string;
}

export interface ReportReceipt {
  reportId: string;
  targetKind: ReportTarget;
  targetId: string;
  recorded: boolean;
}

export interface CommunityGaps {
  "post /api/v1/reports": ReportReceipt;
  "get /api/v1/moderation/reports": CursorPage<ReportView>;
  "get /api/v1/moderation/reports/{id}": ReportView;
  "post /api/v1/moderation/reports/{id}/actions": ReportView;
  "get /api/v1/moderation/audit": CursorPage<AuditView>;
}
