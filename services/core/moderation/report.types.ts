import type { BaseDocument } from "../../../mixins/db";

export const TARGET_KINDS = ["channel", "stream", "video", "comment", "chat_message", "user"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const REASONS = [
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
export type ReportReason = (typeof REASONS)[number];
export const ACTIONS = ["dismiss", "delete_content", "timeout", "ban", "suspend_channel", "suspend_account"] as const;
export type ModerationAction = (typeof ACTIONS)[number];
/** What the audit log records: the report actions, and admins' direct account actions (reportId null). */
export type AuditAction = ModerationAction | "unsuspend_account";
/** What channel moderators may act on: their channel's chat and comments. */
export const CHANNEL_SCOPED: readonly TargetKind[] = ["comment", "chat_message"];

/** One open report per target: every further report of it collapses into it (report_entries). */
export interface ReportDoc extends BaseDocument {
  targetKind: TargetKind;
  targetId: string;
  /** The channel the target belongs to (null for a user). */
  channelId: string | null;
  /** Who wrote or owns the target, as its service said at report time. */
  targetUserId: string | null;
  /** The video of a comment; the live session of a stream. */
  contextId: string | null;
  /** The reported text as it was (message, comment, title, name). */
  snapshot: string;
  status: "open" | "resolved";
  reportCount: number;
  lastReportedAt: Date;
  action: ModerationAction | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionReason: string | null;
}

export interface ReportEntryDoc extends BaseDocument {
  /** `<reportId>:<reporterId>`: one entry per reporter. */
  id: string;
  reportId: string;
  reporterId: string;
  reason: ReportReason;
  text: string;
}

export interface AuditDoc extends BaseDocument {
  reportId: string | null;
  actorId: string;
  action: AuditAction;
  targetKind: TargetKind;
  targetId: string;
  channelId: string | null;
  targetUserId: string | null;
  /** Why: the moderator's own words. */
  reason: string;
  details: Record<string, unknown>;
}

export interface ReportView {
  id: string;
  targetKind: TargetKind;
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
  action: AuditAction;
  targetKind: TargetKind;
  targetId: string;
  channelId: string | null;
  targetUserId: string | null;
  reason: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** What a reporter gets back: never other reporters or the queue. */
export interface ReportReceipt {
  reportId: string;
  targetKind: TargetKind;
  targetId: string;
  /** False when this reporter had already reported the target (nothing new was recorded). */
  recorded: boolean;
}
