import type { Context, Service } from "moleculer";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { KeyedQueue } from "./keyed-queue";
import type { ChannelSessionDoc, ChapterDoc, EntrantDoc, MatchDoc, MemberDoc, TournamentDoc } from "./tournament.types";

export interface TournamentsSettings {
  /** Largest field a tournament may have. */
  maxEntrantsLimit: number;
  /** Push bracket changes to `tournament:<id>` realtime topics (off in benchmarks that measure the database alone). */
  liveUpdates: boolean;
}

export interface TournamentsStores {
  tournaments: EntityStore<TournamentDoc>;
  entrants: EntityStore<EntrantDoc>;
  members: EntityStore<MemberDoc>;
  matches: EntityStore<MatchDoc>;
  chapters: EntityStore<ChapterDoc>;
  channelSessions: EntityStore<ChannelSessionDoc>;
}

/** `this` inside the tournaments service. */
export interface TournamentsThis extends Service, DurableEventsMethods {
  settings: TournamentsSettings;
  stores: TournamentsStores;
  db: DbHandle;
  /** Per-tournament in-process queue in front of the row lock (keyed-queue.ts). */
  decisions: KeyedQueue;
}

export type TournamentsContext<P = unknown> = Context<P, ArenaMeta & Record<string, unknown>>;
