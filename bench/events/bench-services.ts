/**
 * The two sides of the durable-events benchmark: "benchsource" (a DB service
 * whose outbox is filled up front) and "benchsink" (a DB consumer in group
 * "bench": dedupe in processed_events plus one insert per event, in one
 * transaction, like a real handler).
 */
import { join } from "node:path";
import type { Service, ServiceSchema } from "moleculer";
import { DbMixin, type DbMixinThis } from "../../mixins/db";
import {
  DURABLE_EVENTS_MIGRATIONS,
  DurableEventsMixin,
  durableHandler,
  type DurableEnvelope,
  type DurableEventsMethods,
} from "../../mixins/durable-events";

export interface BenchHappened {
  seq: number;
}

declare module "../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "bench.happened": BenchHappened;
  }
}

export const BENCH_TYPE = "bench.happened";
const MIGRATIONS = { name: "bench-events", dir: join(__dirname, "migrations") };
const ENTITIES = {
  sink: { table: "sink", kind: "relational" as const, fields: { seq: { type: "integer" as const, required: true } } },
};

export type BenchThis = Service & DbMixinThis & DurableEventsMethods;

export function sourceSchema(): ServiceSchema {
  return {
    name: "benchsource",
    mixins: [
      DbMixin({
        schema: "benchsource",
        entities: ENTITIES,
        primary: "sink",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
  };
}

/**
 * The consumer: "plain" handles each event in its own transaction; "batch"
 * lets events in flight together share one (group commit), still one insert
 * per event; "bulk" adds a batchHandler writing a whole batch in one insert.
 */
export type SinkMode = "plain" | "batch" | "bulk";

export function sinkSchema(opts: { ordered: boolean; mode: SinkMode }): ServiceSchema {
  const perEvent = {
    async handler(this: BenchThis, envelope: DurableEnvelope<"bench.happened">) {
      await this.db.query("INSERT INTO sink (event_id, seq) VALUES ($1, $2)", [envelope.id, envelope.payload.seq]);
    },
  };
  const bulk = {
    async batchHandler(this: BenchThis, envelopes: Array<DurableEnvelope<"bench.happened">>) {
      await this.db.query("INSERT INTO sink (event_id, seq) SELECT unnest($1::text[]), unnest($2::int[])", [
        envelopes.map((e) => e.id),
        envelopes.map((e) => e.payload.seq),
      ]);
    },
  };
  return {
    name: "benchsink",
    mixins: [
      DbMixin({
        schema: "benchsink",
        entities: ENTITIES,
        primary: "sink",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    channels: {
      ...durableHandler("bench.happened", {
        group: "bench",
        ordered: opts.ordered,
        batch: opts.mode !== "plain",
        ...(opts.mode === "bulk" ? bulk : perEvent),
      }),
    },
  };
}
