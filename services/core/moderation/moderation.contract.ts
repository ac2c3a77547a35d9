/** The actions the moderation service offers; moderation.service.ts is checked against it. */
import type { UserDataParams, UserDataSection } from "../../../lib/contracts/user-data";
import type { CursorPage, CursorPageParams } from "../../../lib/pagination";
import type { SuspensionStatus } from "../identity/suspension";
import type { AccountActionParams } from "./account-actions";
import type { ActParams } from "./act-actions";
import type { CreateReportParams, ListReportsParams } from "./report-actions";
import type { AuditView, ReportReceipt, ReportView } from "./report.types";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what moderation holds of a user, for GET /me/export (the user or an admin). */
    "moderation.exportUserData": { params: UserDataParams; result: UserDataSection };
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
