/**
 * The tournaments slice for integration specs: the community harness
 * (users, channels, the real gateway, JWKS-issued actors) with tournaments,
 * and actors that carry a typed tournaments client.
 */
import type { ServiceSchema } from "moleculer";
import TournamentsService, { type TournamentsThis } from "../../../../services/content/tournaments/tournaments.service";
import { tournamentsRoutes } from "../../../../services/content/tournaments/tournaments.routes";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import { ApiClient } from "../../../helpers/api-client";
import { startCommunity, type CommunityActor, type CommunityHarness } from "../../../helpers/community-harness";
import { tournamentsApi, type TournamentsApi } from "../../../helpers/tournaments-api";

export interface Actor extends CommunityActor {
  t: TournamentsApi;
}

export interface TournamentsHarness extends Pick<CommunityHarness, "broker" | "config" | "base" | "stop"> {
  tournaments: TournamentsThis;
  anonymous: TournamentsApi;
  actor(prefix?: string, role?: "organizer" | "admin"): Promise<Actor>;
  /** n plain users. */
  actors(prefix: string, n: number): Promise<Actor[]>;
}

export interface HarnessOptions {
  extraServices?: ServiceSchema[];
  extraRoutes?: RouteTable[];
  env?: Record<string, string | undefined>;
}

export async function startTournaments(opts: HarnessOptions = {}): Promise<TournamentsHarness> {
  const h = await startCommunity({
    dbPrefix: "arena_tourn",
    services: [TournamentsService as unknown as ServiceSchema, ...(opts.extraServices ?? [])],
    routes: [tournamentsRoutes, ...(opts.extraRoutes ?? [])],
    env: opts.env,
    relayIntervalMs: 200,
  });
  const actor = async (prefix = "u", role?: "organizer" | "admin"): Promise<Actor> => {
    const a = await h.actor(prefix, role ? [role] : []);
    return { ...a, t: tournamentsApi(a.api) };
  };
  return {
    broker: h.broker,
    config: h.config,
    base: h.base,
    stop: h.stop,
    tournaments: h.service<TournamentsThis>("tournaments"),
    anonymous: tournamentsApi(new ApiClient(h.base)),
    actor,
    actors: (prefix, n) => Promise.all(Array.from({ length: n }, (_, i) => actor(`${prefix}${i}`))),
  };
}

/** A tournament body with sensible defaults; override what the spec is about. */
export function tournamentInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Spring Cup",
    game: "Arena Fighters",
    format: "single_elimination",
    maxEntrants: 8,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...overrides,
  };
}
