/**
 * Writes to NATS once per turn of the event loop (lib/broker/nats-write-batching.ts),
 * against the real NATS server: commands sent by several callbacks of one
 * phase leave in one socket write, every message still arrives in order, and
 * the check on nats.js's internals holds for the version installed.
 */
import { connect, StringCodec, type NatsConnection } from "nats";
import { batchWritesPerTurn } from "../../../../lib/broker/nats-write-batching";
import { uniqueId, waitFor } from "../../../helpers/infra";

const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const codec = StringCodec();

/** Counts the socket writes of a connection. */
function countWrites(nc: NatsConnection): { writes: number } {
  const transport = (nc as unknown as { protocol: { transport: { send(data: Uint8Array): void } } }).protocol.transport;
  const seen = { writes: 0 };
  const send = transport.send.bind(transport);
  transport.send = (data: Uint8Array) => {
    seen.writes += 1;
    send(data);
  };
  return seen;
}

/** Publishes `count` messages tagged `tag`, each from its own setImmediate callback (as socket callbacks of one poll phase). */
async function publishFromCallbacks(nc: NatsConnection, subject: string, count: number, tag: string): Promise<void> {
  await new Promise<void>((resolve) => {
    for (let i = 0; i < count; i += 1)
      setImmediate(() => {
        nc.publish(subject, codec.encode(`${tag}${i}`));
        if (i === count - 1) resolve();
      });
  });
}

describe("NATS writes batched per turn of the event loop", () => {
  let sender: NatsConnection;
  let plain: NatsConnection;
  let receiver: NatsConnection;

  beforeAll(async () => {
    [sender, plain, receiver] = await Promise.all([1, 2, 3].map(() => connect({ servers: NATS_URL })));
  });
  afterAll(async () => {
    await Promise.all([sender, plain, receiver].map((nc) => nc?.close()));
  });

  it("recognises the installed nats.js, and leaves an unknown client alone", () => {
    expect(batchWritesPerTurn(sender)).toBe(true);
    expect(batchWritesPerTurn({} as NatsConnection)).toBe(false);
  });

  it("sends what several callbacks of one phase publish in one write, all delivered in order", async () => {
    const subject = uniqueId("batch");
    const received: string[] = [];
    receiver.subscribe(subject, { callback: (_err, msg) => received.push(codec.decode(msg.data)) });
    await receiver.flush();
    const batched = countWrites(sender);
    const unbatched = countWrites(plain);

    await publishFromCallbacks(sender, subject, 20, "s");
    await publishFromCallbacks(plain, subject, 20, "p");
    await waitFor(() => received.length === 40, { what: "40 messages" });

    expect(batched.writes).toBe(1);
    // The stock client writes after each callback's microtasks.
    expect(unbatched.writes).toBe(20);
    // Each connection's messages in the order sent (the two connections interleave as the server gets them).
    const inOrder = (tag: string) => Array.from({ length: 20 }, (_, i) => `${tag}${i}`);
    expect(received.filter((m) => m.startsWith("s"))).toEqual(inOrder("s"));
    expect(received.filter((m) => m.startsWith("p"))).toEqual(inOrder("p"));
  });

  it("still writes a full buffer at once, without waiting for the turn to end", async () => {
    const subject = uniqueId("big");
    let count = 0;
    receiver.subscribe(subject, { callback: () => (count += 1) });
    await receiver.flush();
    const seen = countWrites(sender);
    const payload = new Uint8Array(64 * 1024);
    for (let i = 0; i < 40; i += 1) sender.publish(subject, payload);
    // 2.5 MB in one synchronous burst: written as the buffer fills, before this turn ends.
    expect(seen.writes).toBeGreaterThan(0);
    await waitFor(() => count === 40, { what: "40 large messages" });
  });
});
