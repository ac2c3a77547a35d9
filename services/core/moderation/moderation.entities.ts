import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { AuditDoc, ReportDoc, ReportEntryDoc } from "./report.types";

const reports = entity<ReportDoc>()({
  table: "reports",
  kind: "relational",
  fields: {
    targetKind: { type: "string", required: true },
    targetId: { type: "string", required: true },
    channelId: { type: "string", default: null },
    targetUserId: { type: "string", default: null },
    contextId: { type: "string", default: null },
    snapshot: { type: "text", default: "" },
    status: { type: "string", required: true },
    reportCount: { type: "integer", default: 1 },
    lastReportedAt: { type: "date", required: true },
    action: { type: "string", default: null },
    resolvedBy: { type: "string", default: null },
    resolvedAt: { type: "date", default: null },
    resolutionReason: { type: "text", default: null },
  },
});

const entries = entity<ReportEntryDoc>()({
  table: "report_entries",
  kind: "relational",
  fields: {
    reportId: { type: "string", required: true },
    reporterId: { type: "string", required: true },
    reason: { type: "string", required: true },
    text: { type: "text", default: "" },
  },
});

const audit = entity<AuditDoc>()({
  table: "audit_log",
  kind: "relational",
  fields: {
    reportId: { type: "string", default: null },
    actorId: { type: "string", required: true },
    action: { type: "string", required: true },
    targetKind: { type: "string", required: true },
    targetId: { type: "string", required: true },
    channelId: { type: "string", default: null },
    targetUserId: { type: "string", default: null },
    reason: { type: "text", required: true },
    details: { type: "json", default: () => ({}) },
  },
});

export const MODERATION_DB: DbMixinOptions = {
  schema: "moderation",
  entities: { reports, entries, audit },
  primary: "reports",
  migrations: [{ name: "moderation", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
