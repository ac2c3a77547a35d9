import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { AuditDoc, ReportDoc, ReportEntryDoc } from "./report.types";

export interface ModerationSettings {
  /** Reports one user may file per window (new targets and repeats alike). */
  reportRateLimit: { max: number; windowMs: number };
  /** Longest timeout a report action may set. */
  maxTimeoutS: number;
}

export interface ModerationStores {
  reports: EntityStore<ReportDoc>;
  entries: EntityStore<ReportEntryDoc>;
  audit: EntityStore<AuditDoc>;
}

/** `this` inside the moderation service. */
export interface ModerationThis extends Service<ModerationSettings>, DurableEventsMethods {
  stores: ModerationStores;
  db: DbHandle;
  limits: RateLimitStore;
}

export type ModerationContext<P = unknown> = ArenaContext<P>;
