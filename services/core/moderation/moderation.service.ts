/**
 * moderation: abuse reports and the review queue. Anyone logged in reports
 * a channel, live stream, video, comment, chat message or user; reports of
 * one target collapse; admins and a channel's moderators work the queue;
 * every action is done by the owning service and written to the audit log;
 * reporters learn the outcome (report.resolved). Domain logic lives in the
 * neighbouring files; this file wires.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import type { ArenaContext, ServiceActions } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { accountSuspension, suspendAccount, unsuspendAccount } from "./account-actions";
import { actOnReport } from "./act-actions";
import type { ModerationSettings, ModerationThis } from "./moderation.context";
import { MODERATION_DB } from "./moderation.entities";
import * as P from "./moderation.params";
import { createReport, getReport, listAudit, listReports } from "./report-actions";
import { moderationDeletionHandlers } from "./user-deletion";
import { exportUserData } from "./user-data";
import "./moderation.contract";
import "./moderation.events";

export type { ModerationSettings, ModerationThis } from "./moderation.context";

const ModerationService: ServiceSchema<ModerationSettings> = {
  name: "moderation",
  mixins: [DbMixin(MODERATION_DB), DurableEventsMixin()],

  settings: {
    reportRateLimit: { max: 20, windowMs: 60 * 60_000 },
    maxTimeoutS: 14 * 86_400,
  },

  actions: {
    /** Files (or joins) the report of a target. */
    report: {
      params: P.CREATE_REPORT,
      handler(this: ModerationThis, ctx) {
        return createReport(this, ctx);
      },
    },

    /** The review queue, most recently reported first. */
    reports: {
      params: P.LIST_REPORTS,
      handler(this: ModerationThis, ctx) {
        return listReports(this, ctx);
      },
    },

    /** One report and its reasons. */
    getReport: {
      params: P.BY_ID,
      handler(this: ModerationThis, ctx) {
        return getReport(this, ctx);
      },
    },

    /** An action on a report, recorded in the audit log. */
    act: {
      params: P.ACT,
      handler(this: ModerationThis, ctx) {
        return actOnReport(this, ctx);
      },
    },

    /** Admin: suspends an account (no login, sessions end, broadcasts stop; content stays). */
    suspendAccount: {
      params: P.ACCOUNT_ACTION,
      handler(this: ModerationThis, ctx) {
        return suspendAccount(this, ctx);
      },
    },

    /** Admin: reinstates a suspended account. */
    unsuspendAccount: {
      params: P.ACCOUNT_ACTION,
      handler(this: ModerationThis, ctx) {
        return unsuspendAccount(this, ctx);
      },
    },

    /** Admin: whether an account is suspended, and why. */
    accountSuspension: {
      params: P.BY_USER,
      handler(this: ModerationThis, ctx) {
        return accountSuspension(this, ctx);
      },
    },

    /** The audit log. */
    audit: {
      params: P.LIST_AUDIT,
      handler(this: ModerationThis, ctx) {
        return listAudit(this, ctx);
      },
    },

    /** Internal: what moderation holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: ModerationThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"moderation", ModerationThis>,

  channels: moderationDeletionHandlers,

  created(this: Service<ModerationSettings>) {
    const svc = this as ModerationThis;
    const config = getConfig();
    svc.limits = createRateLimitStore(config, `${config.namespace}:moderation`);
  },

  async stopped(this: Service<ModerationSettings>) {
    await (this as ModerationThis).limits?.close();
  },
};

export default ModerationService;
