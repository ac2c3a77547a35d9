/**
 * A private JetStream server (random port, its own store dir) is restarted
 * between publish and consume: events published before the restart, while
 * the consumer was down, and after it, all arrive, each once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import type { ServiceBroker } from "moleculer";
import { freePort } from "../../../helpers/cluster";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import { consumerSchema, createBroker, durableConfig, newRecorder, producerSchema } from "./helpers/brokers";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function startNats(port: number, storeDir: string): Promise<ChildProcess> {
  const proc = spawn("nats-server", ["-p", String(port), "-a", "127.0.0.1", "-js", "-sd", storeDir], {
    stdio: "ignore",
  });
  await waitFor(() => portOpen(port), { what: `nats-server on ${port}`, timeoutMs: 10000 });
  return proc;
}

async function stopNats(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGTERM");
  await exited;
}

describe("durable events across a JetStream restart", () => {
  let store: TempDir;
  let nats: ChildProcess | undefined;
  const brokers: ServiceBroker[] = [];

  afterAll(async () => {
    for (const b of brokers) await b.stop().catch(() => undefined);
    if (nats) await stopNats(nats);
    store?.remove();
  });

  it("loses nothing published before and after the server restarts", async () => {
    store = createTempDir("arena-nats-");
    const port = await freePort();
    nats = await startNats(port, store.path);
    const config = await durableConfig(`nats://127.0.0.1:${port}`);
    const rec = newRecorder();

    // The consumer group exists (durable consumer created), then its node goes away.
    const firstConsumer = createBroker(config);
    firstConsumer.createService(consumerSchema(rec));
    await firstConsumer.start();
    await firstConsumer.stop();

    const producer = createBroker(config);
    producer.createService(producerSchema());
    brokers.push(producer);
    await producer.start();
    const before: string[] = [];
    for (let seq = 0; seq < 5; seq++)
      before.push(await producer.call("producer.ping", { seq, note: uniqueId("before") }));

    await stopNats(nats);
    expect(await portOpen(port)).toBe(false);
    nats = await startNats(port, store.path);

    // The producer reconnects by itself; publishing works again once it has.
    const after: string[] = [];
    for (let seq = 5; seq < 10; seq++) {
      after.push(
        await waitFor(() => producer.call<string, { seq: number }>("producer.ping", { seq }), {
          what: "publish after restart",
          timeoutMs: 15000,
        }),
      );
    }

    const consumer = createBroker(config);
    consumer.createService(consumerSchema(rec));
    brokers.push(consumer);
    await consumer.start();

    const all = [...before, ...after];
    await waitFor(() => all.every((id) => rec.handled.some((h) => h.envelope.id === id)), {
      what: "all 10 events consumed",
      timeoutMs: 20000,
    });
    for (const id of all) expect(rec.handled.filter((h) => h.envelope.id === id)).toHaveLength(1);
    expect(rec.handled.map((h) => h.envelope.payload.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
