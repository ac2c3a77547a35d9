import { cursorPageSchema, s, type PropertySchemas } from "../../../lib/http/response-schema";
import type { SuspensionStatus } from "../identity/suspension";
import type { FiledReport, ModerationUserData } from "./moderation.contract";
import {
  ACTIONS,
  REASONS,
  TARGET_KINDS,
  type AuditAction,
  type AuditView,
  type ReportReceipt,
  type ReportView,
} from "./report.types";

/** Response bodies of /reports and /moderation routes, typed by the actions' results (moderation.routes.ts). */
const AUDIT_ACTIONS: readonly AuditAction[] = [...ACTIONS, "unsuspend_account"];
const COUNT = s.optional(s.integer());

/** The report reasons, in the order the report form lists them: one named list for the server and the web client. */
export const REPORT_REASON = s.named("ReportReason", s.enum(REASONS));

export const RECEIPT = s.object<ReportReceipt>()({
  reportId: s.string(),
  targetKind: s.enum(TARGET_KINDS),
  targetId: s.string(),
  recorded: s.boolean(),
});

export const REPORT = s.named(
  "Report",
  s.object<ReportView>()({
    id: s.string(),
    targetKind: s.enum(TARGET_KINDS),
    targetId: s.string(),
    channelId: s.nullable(s.string()),
    targetUserId: s.nullable(s.string()),
    contextId: s.nullable(s.string()),
    snapshot: s.string(),
    status: s.enum(["open", "resolved"] as const),
    reportCount: s.integer(),
    reasons: s.object<ReportView["reasons"]>()({
      spam: COUNT,
      harassment: COUNT,
      hate: COUNT,
      violence: COUNT,
      sexual_content: COUNT,
      self_harm: COUNT,
      impersonation: COUNT,
      copyright: COUNT,
      other: COUNT,
    }),
    lastReportedAt: s.dateTime(),
    action: s.nullable(s.enum(ACTIONS)),
    resolvedBy: s.nullable(s.string()),
    resolvedAt: s.nullable(s.dateTime()),
    resolutionReason: s.nullable(s.string()),
    createdAt: s.dateTime(),
  }),
);

export const REPORT_PAGE = cursorPageSchema("Report", REPORT);

export const SUSPENSION = s.named(
  "AccountSuspension",
  s.object<SuspensionStatus>()({
    userId: s.string(),
    suspended: s.boolean(),
    reason: s.nullable(s.string()),
    reportId: s.nullable(s.string()),
    suspendedAt: s.nullable(s.dateTime()),
    suspendedBy: s.nullable(s.string()),
    liftedAt: s.nullable(s.dateTime()),
    version: s.integer(),
  }),
);

/** An audit entry without who acted (the actions a user received, in their export). */
const AUDIT_FIELDS: PropertySchemas<Omit<AuditView, "actorId">> = {
  id: s.string(),
  reportId: s.nullable(s.string()),
  action: s.enum(AUDIT_ACTIONS),
  targetKind: s.enum(TARGET_KINDS),
  targetId: s.string(),
  channelId: s.nullable(s.string()),
  targetUserId: s.nullable(s.string()),
  reason: s.string(),
  details: s.record(s.opaque<unknown>("Action-specific detail")),
  createdAt: s.dateTime(),
};

// actorId where it always stood, after the ids (the document and the generated client keep their order).
const { id: AUDIT_ID, reportId: AUDIT_REPORT, ...AUDIT_REST } = AUDIT_FIELDS;
const AUDIT_ENTRY = s.named(
  "AuditEntry",
  s.object<AuditView>()({ id: AUDIT_ID, reportId: AUDIT_REPORT, actorId: s.string(), ...AUDIT_REST }),
);

export const AUDIT_PAGE = cursorPageSchema("AuditEntry", AUDIT_ENTRY);

/** moderation's section of GET /me/export: field by field; actions received say not who took them. */
export const MODERATION_USER_DATA = s.named(
  "ModerationUserData",
  s.object<ModerationUserData>()({
    reportsFiled: s.array(
      s.named(
        "FiledReportRecord",
        s.object<FiledReport>()({
          reportId: s.string(),
          targetKind: s.nullable(s.enum(TARGET_KINDS)),
          targetId: s.nullable(s.string()),
          reason: s.enum(REASONS),
          text: s.string(),
          filedAt: s.date(),
          status: s.nullable(s.enum(["open", "resolved"] as const)),
          outcome: s.nullable(s.enum(ACTIONS)),
        }),
      ),
    ),
    actionsTaken: s.array(AUDIT_ENTRY),
    actionsReceived: s.array(s.named("ReceivedModerationAction", s.object<Omit<AuditView, "actorId">>()(AUDIT_FIELDS))),
  }),
);
