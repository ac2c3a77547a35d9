/**
 * Pushes bracket changes to viewers on the tournament's public realtime
 * topic, once the transaction that made them has committed (a rolled-back
 * report is never shown). Best effort: a viewer who missed one re-reads
 * the bracket over REST; every match view carries its version.
 */
import { publishToTopic, type TopicData } from "../../edge/realtime/realtime.events";
import type { TournamentsThis } from "./tournaments.context";
import { tournamentTopic } from "./tournaments.events";

/** Views are plain JSON already; the round trip also turns any Date into its ISO string. */
function toTopicData(value: unknown): TopicData {
  return JSON.parse(JSON.stringify(value)) as TopicData;
}

/**
 * Like pushAfterCommit, but the payload is built after the commit: views
 * (names, live state) are read outside the transaction, so the tournament's
 * row lock is not held while they are assembled.
 */
export function pushLazilyAfterCommit(
  svc: TournamentsThis,
  tournamentId: string,
  event: string,
  build: () => Promise<unknown>,
): void {
  if (!svc.settings.liveUpdates) return;
  svc.db.afterCommit(() => {
    build()
      .then((value) => publishToTopic(svc.broker, tournamentTopic(tournamentId), event, toTopicData(value)))
      .catch((err: unknown) =>
        svc.logger.warn(`live update ${event} for ${tournamentId} not published: ${String(err)}`),
      );
  });
}

export function pushAfterCommit(svc: TournamentsThis, tournamentId: string, event: string, value: unknown): void {
  if (!svc.settings.liveUpdates) return;
  const data = toTopicData(value);
  svc.db.afterCommit(() => {
    publishToTopic(svc.broker, tournamentTopic(tournamentId), event, data).catch((err: unknown) =>
      svc.logger.warn(`live update ${event} for ${tournamentId} not published: ${String(err)}`),
    );
  });
}
