/**
 * Durable events of the moderation service. report.resolved tells every
 * reporter of a target what came of it (notifications delivers it); it
 * carries the outcome, never the moderator's identity or notes.
 */
import type { ModerationAction, TargetKind } from "./report.types";

export interface ReportResolved {
  reportId: string;
  targetKind: TargetKind;
  targetId: string;
  channelId: string | null;
  action: ModerationAction;
  /** Everyone who reported it (at most 1000; the rest are not notified). */
  reporterIds: string[];
  resolvedAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "report.resolved": ReportResolved;
  }
}
