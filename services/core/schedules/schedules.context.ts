import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { SegmentDoc, SegmentSessionDoc } from "./schedule.types";

export interface SchedulesSettings {
  /** How long before an occurrence its "starting soon" event goes out. */
  startingSoonLeadMs: number;
  /** How often each node looks for occurrences entering that lead time. */
  noticePollMs: number;
  /** A stream that starts this long before an occurrence (or any time before its end) belongs to it. */
  linkEarlyMs: number;
  /** How far ahead GET /channels/:id/schedule lists occurrences. */
  horizonDays: number;
  /** Segments one channel may have. */
  maxSegmentsPerChannel: number;
  /** Set to false for a node that serves the API but never sends notices. */
  runNotices: boolean;
}

export interface SchedulesStores {
  segments: EntityStore<SegmentDoc>;
  sessions: EntityStore<SegmentSessionDoc>;
}

/** `this` inside the schedules service. */
export interface SchedulesThis extends Service<SchedulesSettings>, DurableEventsMethods {
  stores: SchedulesStores;
  db: DbHandle;
  /** PUBLIC_URL without a trailing slash: calendar entries link to the channel page. */
  publicUrl: string;
  noticeTimer: NodeJS.Timeout | undefined;
  /** The notice pass in progress (tests wait for it). */
  noticePass: Promise<number> | undefined;
}

/** The context of a schedules action. */
export type SchedulesContext<P = unknown> = ArenaContext<P>;
