/** Creating and editing tournaments (the organizer's writes; what may change depends on the status). */
import { markCreated } from "../../../lib/http/response-meta";
import { ConflictError } from "../../../lib/errors";
import { editableFields } from "./lifecycle";
import { pushAfterCommit } from "./live-updates";
import { cleanName, cleanRules } from "./rules-text";
import { lockTournament, requireOrganizerOf, requireOrganizerRole } from "./tournament-access";
import {
  checkConsistency,
  DEFAULT_OPTIONS,
  invalid,
  STRUCTURAL,
  type CreateTournamentParams,
  type TournamentInput,
  type UpdateTournamentParams,
} from "./tournament-input";
import { viewOf } from "./tournament-read";
import { toTournamentView } from "./tournament-view";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS, tournamentUpdatedPayload } from "./tournaments.events";
import type { TournamentDoc, TournamentView } from "./tournament.types";

export async function createTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<CreateTournamentParams>,
): Promise<TournamentView> {
  const user = requireOrganizerRole(ctx);
  const p = ctx.params;
  const mode = p.mode ?? "solo";
  const doc = {
    organizerId: user.id,
    name: cleanName(p.name),
    game: cleanName(p.game),
    category: p.category ? cleanName(p.category) : null,
    format: p.format,
    status: "draft" as const,
    mode,
    teamSizeMin: mode === "solo" ? 1 : (p.teamSizeMin ?? 1),
    teamSizeMax: mode === "solo" ? 1 : (p.teamSizeMax ?? Math.max(p.teamSizeMin ?? 1, 5)),
    minEntrants: p.minEntrants ?? 2,
    maxEntrants: p.maxEntrants,
    requiresApproval: p.requiresApproval ?? false,
    registrationOpensAt: p.registrationOpensAt ?? null,
    registrationClosesAt: p.registrationClosesAt ?? null,
    checkInOpensAt: p.checkInOpensAt ?? null,
    checkInClosesAt: p.checkInClosesAt ?? null,
    startsAt: p.startsAt,
    rules: cleanRules(p.rules ?? "", p.rulesFormat ?? "plain"),
    rulesFormat: p.rulesFormat ?? "plain",
    options: { ...DEFAULT_OPTIONS, ...p.options, randomSeed: null },
    seeded: [],
    currentRound: 0,
    championEntrantId: null,
    scheduleVersion: 0,
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
  };
  if (!doc.name) throw invalid("name", "The name is empty once markup is removed");
  if (!doc.game) throw invalid("game", "The game is empty once markup is removed");
  checkConsistency(doc, svc.settings.maxEntrantsLimit);
  const created = await svc.db.transaction(async () => {
    const t = await svc.stores.tournaments.insert(doc);
    await svc.publishDurable("tournament.created", {
      tournamentId: t.id,
      organizerId: t.organizerId,
      name: t.name,
      game: t.game,
      category: t.category,
      format: t.format,
      startsAt: t.startsAt.toISOString(),
      createdAt: t.createdAt.toISOString(),
    });
    return t;
  });
  markCreated(ctx, `/tournaments/${created.id}`);
  return toTournamentView(created, { confirmed: 0, waitlisted: 0 });
}

export async function updateTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<UpdateTournamentParams>,
): Promise<TournamentView> {
  const { id, ...changes } = ctx.params;
  return svc.db.transaction(async () => {
    const t = await lockTournament(svc, id);
    requireOrganizerOf(ctx, t);
    const editable = editableFields(t.status);
    if (editable === "none") throw new ConflictError(`A ${t.status} tournament cannot be edited`);
    const touched = (Object.keys(changes) as Array<keyof TournamentInput>).filter((k) => changes[k] !== undefined);
    const fixed = touched.filter((k) => STRUCTURAL.includes(k));
    if (editable === "details" && fixed.length > 0)
      throw new ConflictError(`${fixed.join(", ")} cannot change once registration has opened`);
    const next = { ...t };
    if (changes.name !== undefined) next.name = cleanName(changes.name);
    if (changes.game !== undefined) next.game = cleanName(changes.game);
    if (changes.category !== undefined) next.category = changes.category ? cleanName(changes.category) : null;
    for (const k of [
      "format",
      "mode",
      "teamSizeMin",
      "teamSizeMax",
      "minEntrants",
      "maxEntrants",
      "requiresApproval",
      "registrationOpensAt",
      "registrationClosesAt",
      "checkInOpensAt",
      "checkInClosesAt",
      "startsAt",
      "rulesFormat",
    ] as const) {
      if (changes[k] !== undefined) Object.assign(next, { [k]: changes[k] });
    }
    if (changes.rules !== undefined || changes.rulesFormat !== undefined)
      next.rules = cleanRules(changes.rules ?? t.rules, next.rulesFormat);
    if (changes.options) next.options = { ...t.options, ...changes.options, randomSeed: t.options.randomSeed };
    if (next.mode === "solo") Object.assign(next, { teamSizeMin: 1, teamSizeMax: 1 });
    if (!next.name) throw invalid("name", "The name is empty once markup is removed");
    if (t.status === "running" && changes.startsAt !== undefined)
      throw new ConflictError("The start time of a running tournament cannot change; reschedule matches instead");
    checkConsistency(next, svc.settings.maxEntrantsLimit);
    const { id: _id, createdAt: _c, updatedAt: _u, ...patch } = next;
    const saved = (await svc.stores.tournaments.updateById(id, patch)) as TournamentDoc;
    await svc.publishDurable("tournament.updated", tournamentUpdatedPayload(saved));
    const view = await viewOf(svc, saved);
    pushAfterCommit(svc, id, TOPIC_EVENTS.tournament, view);
    return view;
  });
}
