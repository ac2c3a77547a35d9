/**
 * Test services for per-key ordering: "docs" publishes versioned document
 * events keyed by document, "docindex" applies them with ordered handlers
 * (saved/deleted share the "doc" scope; viewed is ordered on its own).
 */
import { join } from "node:path";
import type { Context, Service, ServiceSchema } from "moleculer";
import { DbMixin, type DbMixinThis } from "../../../../../mixins/db";
import {
  DURABLE_EVENTS_MIGRATIONS,
  DurableEventsMixin,
  durableHandler,
  type DurableEnvelope,
  type DurableEventsMethods,
} from "../../../../../mixins/durable-events";
import "./test-events";

const MIGRATIONS = { name: "durable-events-test", dir: join(__dirname, "..", "migrations") };
const ENTITIES = {
  notes: { table: "notes", kind: "relational" as const, fields: { body: { type: "text" as const, required: true } } },
};

type DocsThis = Service & DbMixinThis & DurableEventsMethods;

export interface SaveParams {
  docId: string;
  rev: number;
  /** Keep the transaction open this long after publishing (to race another writer of the same key). */
  holdMs?: number;
}

export function docsSchema(): ServiceSchema {
  return {
    name: "docs",
    mixins: [
      DbMixin({
        schema: "docs",
        entities: ENTITIES,
        primary: "notes",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    actions: {
      save: {
        params: { docId: "string", rev: "number", holdMs: { type: "number", optional: true } },
        async handler(this: DocsThis, ctx: Context<SaveParams>): Promise<{ eventId: string; committedAt: number }> {
          const { docId, rev, holdMs } = ctx.params;
          const eventId = await this.db.transaction(async () => {
            const id = await this.publishDurable("dtest.docSaved", { docId, rev }, { key: `doc:${docId}` });
            if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
            return id;
          });
          return { eventId, committedAt: performance.now() };
        },
      },
    },
  };
}

export interface AppliedRow {
  doc_id: string;
  type: string;
  rev: number | null;
  version: string | null;
}

type IndexThis = Service & DbMixinThis;

async function apply(svc: IndexThis, envelope: DurableEnvelope, rev: number | null, docId: string): Promise<void> {
  await svc.db.query("INSERT INTO applied (doc_id, type, rev, version) VALUES ($1, $2, $3, $4)", [
    docId,
    envelope.type,
    rev,
    envelope.version ?? null,
  ]);
}

export function docIndexSchema(opts: { db?: boolean } = {}): ServiceSchema {
  return {
    name: "docindex",
    mixins:
      opts.db === false
        ? [DurableEventsMixin()]
        : [
            DbMixin({
              schema: "docindex",
              entities: ENTITIES,
              primary: "notes",
              migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
            }),
            DurableEventsMixin(),
          ],
    channels: {
      ...durableHandler("dtest.docSaved", {
        group: "docindex",
        ordered: "doc",
        async handler(this: IndexThis, envelope) {
          await apply(this, envelope, envelope.payload.rev, envelope.payload.docId);
        },
      }),
      ...durableHandler("dtest.docDeleted", {
        group: "docindex",
        ordered: "doc",
        async handler(this: IndexThis, envelope) {
          await apply(this, envelope, null, envelope.payload.docId);
        },
      }),
      ...durableHandler("dtest.docViewed", {
        group: "docindex",
        ordered: true,
        async handler(this: IndexThis, envelope) {
          await apply(this, envelope, null, envelope.payload.docId);
        },
      }),
    },
  };
}
