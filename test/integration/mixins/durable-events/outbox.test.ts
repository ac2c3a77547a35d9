/**
 * Transactional outbox on a real PostgreSQL database, relayed over the real
 * NATS JetStream: commit ⇒ published, rollback ⇒ not, crash between commit
 * and relay ⇒ published by the next node's sweep; DB consumers dedupe in
 * their own transaction.
 */
import type { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import type { DurableServiceThis } from "../../../../mixins/durable-events";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import { createTestDatabase, NATS_URL, uniqueId, waitFor, type TestDatabase } from "../../../helpers/infra";
import {
  consumerSchema,
  createBroker,
  durableConfig,
  FAST_TUNING,
  newRecorder,
  type Recorder,
} from "./helpers/brokers";
import { cleanupNats } from "./helpers/cleanup";
import { inboxSchema, notesSchema } from "./helpers/db-services";

describe("durable events: transactional outbox", () => {
  let db: TestDatabase;
  let pg: Client;
  let config: ArenaConfig;
  let consumerNode: ServiceBroker;
  const rec: Recorder = newRecorder();
  const failFirstOf = new Set<number>([42]);
  const brokers: ServiceBroker[] = [];

  const startNotesNode = async (tuning = FAST_TUNING): Promise<ServiceBroker> => {
    const node = createBroker(config, tuning);
    node.createService(notesSchema());
    brokers.push(node);
    await node.start();
    return node;
  };
  const handledWith = (note: string) => rec.handled.filter((h) => h.envelope.payload.note === note);
  const outboxRow = async (eventId: string) =>
    (await pg.query<{ published_at: Date | null }>("SELECT published_at FROM notes.outbox WHERE id = $1", [eventId]))
      .rows[0];

  beforeAll(async () => {
    db = await createTestDatabase("arena_durable");
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    config = await durableConfig(NATS_URL, { DATABASE_URL: db.url });
    // DbMixin reads the process config.
    setConfig(config);
    consumerNode = createBroker(config);
    consumerNode.createService(consumerSchema(rec));
    consumerNode.createService(inboxSchema(failFirstOf));
    brokers.push(consumerNode);
    await consumerNode.start();
  });

  afterAll(async () => {
    for (const node of brokers.reverse()) await node.stop().catch(() => undefined);
    await pg?.end();
    await db?.drop();
    if (config) await cleanupNats(NATS_URL, config.namespace);
  });

  it("publishes an event written in a committed transaction, right after commit", async () => {
    const node = await startNotesNode({ ...FAST_TUNING, relaySweep: false });
    const note = uniqueId("commit");
    const eventId: string = await node.call("notes.create", { seq: 1, body: note });
    await waitFor(() => handledWith(note).length === 1, { what: "committed event consumed" });
    expect(handledWith(note)[0].envelope).toMatchObject({
      id: eventId,
      type: "dtest.pinged",
      producer: "notes",
      payload: { seq: 1, note },
    });
    await waitFor(async () => (await outboxRow(eventId))?.published_at, { what: "outbox row marked published" });
    await node.stop();
  });

  it("publishes nothing when the transaction rolls back", async () => {
    const node = await startNotesNode({ ...FAST_TUNING, relaySweep: true });
    const rolledBack = uniqueId("rollback");
    await expect(node.call("notes.create", { seq: 2, body: rolledBack, failAfterPublish: true })).rejects.toThrow(
      /rolled back on purpose/,
    );
    const marker = uniqueId("marker");
    const markerId: string = await node.call("notes.create", { seq: 3, body: marker });
    await waitFor(() => handledWith(marker).length === 1, { what: "marker consumed" });
    // The relay marks the row published after the broker acked it: a sweep in
    // between would (rightly, at least once) relay the marker again.
    await waitFor(async () => (await outboxRow(markerId))?.published_at, { what: "marker marked published" });
    // A sweep after the marker finds nothing more to relay.
    const notes = node.getLocalService("notes") as DurableServiceThis;
    expect(await notes.relayOutbox()).toBe(0);
    expect(handledWith(rolledBack)).toHaveLength(0);
    const leftovers = await pg.query("SELECT 1 FROM notes.outbox WHERE envelope->'payload'->>'note' = $1", [
      rolledBack,
    ]);
    expect(leftovers.rowCount).toBe(0);
    const rows = await pg.query("SELECT 1 FROM notes.notes WHERE body = $1", [rolledBack]);
    expect(rows.rowCount).toBe(0);
    await node.stop();
  });

  it("relays an event published outside any transaction", async () => {
    const node = await startNotesNode({ ...FAST_TUNING, relaySweep: false });
    const note = uniqueId("outside");
    const eventId: string = await node.call("notes.announce", { seq: 4, body: note });
    await waitFor(() => handledWith(note).length === 1, { what: "event consumed" });
    expect(handledWith(note)[0].envelope.id).toBe(eventId);
    await node.stop();
  });

  it("publishes, through the next node's sweep, an event committed by a node that stopped before relaying", async () => {
    const crashed = await startNotesNode({ ...FAST_TUNING, relayAfterCommit: false, relaySweep: false });
    const note = uniqueId("crash");
    const eventId: string = await crashed.call("notes.create", { seq: 5, body: note });
    await crashed.stop();
    expect(await outboxRow(eventId)).toEqual({ published_at: null });
    expect(handledWith(note)).toHaveLength(0);

    await startNotesNode({ ...FAST_TUNING, relayAfterCommit: false, relaySweep: true });
    await waitFor(() => handledWith(note).length === 1, { what: "event relayed by the next node's sweep" });
    expect(handledWith(note)[0].envelope.id).toBe(eventId);
    await waitFor(async () => (await outboxRow(eventId))?.published_at, { what: "outbox row marked published" });
  });

  it("a DB consumer handles a redelivered event once, and rolls back its writes with a failed attempt", async () => {
    const runtime = getRuntime(consumerNode);
    const subject = runtime.adapter.addPrefixTopic("dtest.pinged");
    const duplicate = createEnvelope("dtest.pinged", { seq: 41, note: uniqueId("dup") }, "test");
    const flaky = createEnvelope("dtest.pinged", { seq: 42, note: uniqueId("flaky") }, "test");
    // Straight through the adapter: JetStream itself would drop a repeated msgID.
    await runtime.adapter.publish(subject, duplicate, {});
    await runtime.adapter.publish(subject, duplicate, {});
    await runtime.adapter.publish(subject, flaky, {});
    const processed = async (id: string) =>
      (await pg.query("SELECT 1 FROM inbox.processed_events WHERE consumer_group = 'inbox' AND event_id = $1", [id]))
        .rowCount;
    await waitFor(async () => (await processed(duplicate.id)) === 1 && (await processed(flaky.id)) === 1, {
      what: "both processed",
      timeoutMs: 20000,
    });
    const received = async (id: string) =>
      (await pg.query("SELECT 1 FROM inbox.received WHERE event_id = $1", [id])).rowCount;
    expect(await received(duplicate.id)).toBe(1);
    // The failed first attempt wrote a row too; it was rolled back with the processed mark.
    expect(await received(flaky.id)).toBe(1);
  });
});
