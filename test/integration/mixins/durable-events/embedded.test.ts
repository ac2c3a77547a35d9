/**
 * Embedded mode: PGlite and the in-process adapter in one broker, as
 * `npm start` runs on a bare machine. A DB producer's outbox and a DB
 * consumer's dedupe transaction share one embedded database, so deliveries
 * must not run inside the relay's transaction.
 */
import type { ServiceBroker } from "moleculer";
import { setConfig } from "../../../../lib/config";
import type { DbMixinThis } from "../../../../mixins/db";
import { uniqueId, waitFor, createTempDir, type TempDir } from "../../../helpers/infra";
import { consumerSchema, createBroker, durableConfig, newRecorder } from "./helpers/brokers";
import { checkDeadLetterOperations } from "./helpers/dead-letter-spec";
import { inboxSchema, notesSchema } from "./helpers/db-services";

describe("durable events in embedded mode (PGlite, in-process)", () => {
  let broker: ServiceBroker;
  let dataDir: TempDir;
  const rec = newRecorder();

  beforeAll(async () => {
    dataDir = createTempDir("arena-durable-embedded-");
    const config = await durableConfig(undefined, { DATABASE_URL: undefined, DATA_DIR: dataDir.path });
    setConfig(config);
    broker = createBroker(config);
    broker.createService(notesSchema());
    broker.createService(inboxSchema(new Set([7])));
    broker.createService(consumerSchema(rec));
    broker.createService(consumerSchema(rec, { name: "auditor", group: "audit" }));
    await broker.start();
  });

  afterAll(async () => {
    await broker?.stop();
    dataDir?.remove();
  });

  it("relays a committed event to a DB consumer in the same process, once, and retries its failure", async () => {
    const inbox = broker.getLocalService("inbox") as unknown as DbMixinThis;
    const received = async (id: string) =>
      (await inbox.db.query<{ n: string }>("SELECT count(*) AS n FROM received WHERE event_id = $1", [id]))[0].n;
    const processed = async (id: string) =>
      (await inbox.db.query<{ n: string }>("SELECT count(*) AS n FROM processed_events WHERE event_id = $1", [id]))[0]
        .n;

    const ok: string = await broker.call("notes.create", { seq: 1, body: uniqueId("embedded") });
    const flaky: string = await broker.call("notes.create", { seq: 7, body: uniqueId("flaky") });
    await waitFor(async () => (await processed(ok)) === "1" && (await processed(flaky)) === "1", {
      what: "both processed",
      timeoutMs: 20000,
    });
    expect(await received(ok)).toBe("1");
    expect(await received(flaky)).toBe("1");
  });

  it("lets operators list, inspect, replay and drop dead letters kept in the embedded database", async () => {
    await checkDeadLetterOperations(broker, rec, 3);
  });
});
