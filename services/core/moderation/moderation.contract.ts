/** The actions the moderation service offers; moderation.service.ts is checked against it. */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { CursorPage, CursorPageParams } from "../../../lib/pagination";
import type { SuspensionStatus } from "../identity/suspension";
import type { AccountActionParams } from "./account-actions";
import type { ActParams } from "./act-actions";
import type { CreateReportParams, ListReportsParams } from "./report-actions";
import type {
  AuditView,
  ModerationAction,
  ReportDoc,
  ReportReason,
  ReportReceipt,
  ReportView,
  TargetKind,
} from "./report.types";

/** A report the user filed: their own reason and text, and what came of it (null fields: the report is gone). */
export interface FiledReport {
  reportId: string;
  targetKind: TargetKind | null;
  targetId: string | null;
  reason: ReportReason;
  text: string;
  filedAt: Date;
  status: ReportDoc["status"] | null;
  outcome: ModerationAction | null;
}

/**
 * moderation's section of GET /me/export: reports filed, actions the user took as a moderator, and actions taken on
 * them (without who took them: a moderator's identity is not the reported user's data).
 */
export type ModerationUserData = {
  reportsFiled: FiledReport[];
  actionsTaken: AuditView[];
  actionsReceived: Array<Omit<AuditView, "actorId">>;
};

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what moderation holds of a user, for GET /me/export (the user or an admin). */
    "moderation.exportUserData": { params: UserDataParams; result: ModerationUserData };
    "moderation.report": { params: CreateReportParams; result: ReportReceipt };
    "moderation.reports": { params: ListReportsParams; result: CursorPage<ReportView> };
    "moderation.getReport": { params: { id: string }; result: ReportView };
    "moderation.act": { params: ActParams; result: ReportView };
    /** Admin: suspends an account (audited). */
    "moderation.suspendAccount": { params: AccountActionParams; result: SuspensionStatus };
    /** Admin: lifts an account's suspension (audited). */
    "moderation.unsuspendAccount": { params: AccountActionParams; result: SuspensionStatus };
    "moderation.accountSuspension": { params: { userId: string }; result: SuspensionStatus };
    "moderation.audit": { params: { channelId?: string } & CursorPageParams; result: CursorPage<AuditView> };
  }
}
