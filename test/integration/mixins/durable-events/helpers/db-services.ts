/**
 * Test services on the real DbMixin: a producer that writes a note and
 * publishes in the same transaction, and a consumer whose handler writes
 * inside the dedupe transaction.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Context, Service, ServiceSchema } from "moleculer";
import { DbMixin, type DbMixinThis } from "../../../../../mixins/db";
import {
  DURABLE_EVENTS_MIGRATIONS,
  DurableEventsMixin,
  durableHandler,
  type DurableEventsMethods,
} from "../../../../../mixins/durable-events";
import "./test-events";

const MIGRATIONS = { name: "durable-events-test", dir: join(__dirname, "..", "migrations") };

const ENTITIES = {
  notes: { table: "notes", kind: "relational" as const, fields: { body: { type: "text" as const, required: true } } },
  received: {
    table: "received",
    kind: "relational" as const,
    fields: { eventId: { type: "string" as const, required: true } },
  },
};

type NotesThis = Service & DbMixinThis & DurableEventsMethods;

interface CreateNoteParams {
  seq: number;
  body: string;
  failAfterPublish?: boolean;
}

export function notesSchema(): ServiceSchema {
  return {
    name: "notes",
    mixins: [
      DbMixin({
        schema: "notes",
        entities: ENTITIES,
        primary: "notes",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    actions: {
      create: {
        params: { seq: "number", body: "string", failAfterPublish: { type: "boolean", optional: true } },
        async handler(this: NotesThis, ctx: Context<CreateNoteParams>): Promise<string> {
          const { seq, body, failAfterPublish } = ctx.params;
          return this.db.transaction(async () => {
            await this.db.query("INSERT INTO notes (id, body) VALUES ($1, $2)", [randomUUID(), body]);
            const eventId = await this.publishDurable("dtest.pinged", { seq, note: body });
            if (failAfterPublish) throw new Error("rolled back on purpose");
            return eventId;
          });
        },
      },
      /** Publish with no surrounding transaction: the outbox row gets its own. */
      announce: {
        params: { seq: "number", body: "string" },
        async handler(this: NotesThis, ctx: Context<CreateNoteParams>): Promise<string> {
          return this.publishDurable("dtest.pinged", { seq: ctx.params.seq, note: ctx.params.body });
        },
      },
    },
  };
}

/** Consumer with a database: dedupe through processed_events in the handler's transaction. */
export function inboxSchema(failFirstOf: Set<number>): ServiceSchema {
  const failed = new Set<string>();
  return {
    name: "inbox",
    mixins: [
      DbMixin({
        schema: "inbox",
        entities: ENTITIES,
        primary: "received",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    channels: {
      ...durableHandler("dtest.pinged", {
        group: "inbox",
        async handler(this: NotesThis, envelope) {
          await this.db.query("INSERT INTO received (event_id) VALUES ($1)", [envelope.id]);
          // Fail after writing: the write and the processed mark must roll back together.
          if (failFirstOf.has(envelope.payload.seq) && !failed.has(envelope.id)) {
            failed.add(envelope.id);
            throw new Error("fails once after writing");
          }
        },
      }),
    },
  };
}
