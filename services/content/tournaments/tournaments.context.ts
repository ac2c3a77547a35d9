import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
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

/** The context of an action (lib/contracts: the one Arena context type). */
export type TournamentsContext<P = unknown> = ArenaContext<P>;
