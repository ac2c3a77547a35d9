/**
 * The operators' dead-letter commands, checked the same way on every
 * transport: an event both consumer groups gave up on is listed by type,
 * inspected with its error and attempts, replayed to one group only once
 * that group's handler is fixed, and the rest dropped.
 */
import type { ServiceBroker } from "moleculer";
import { createEnvelope } from "../../../../../mixins/durable-events/envelope";
import { drop, inspect, replay, summarize } from "../../../../../mixins/durable-events/dead-letters/operations";
import { dlqReplCommand } from "../../../../../mixins/durable-events/dead-letters/commands";
import { getRuntime } from "../../../../../mixins/durable-events/runtime";
import { waitFor } from "../../../../helpers/infra";
import type { Recorder } from "./brokers";

export async function checkDeadLetterOperations(
  broker: ServiceBroker,
  rec: Recorder,
  maxRetries: number,
): Promise<void> {
  const runtime = getRuntime(broker);
  const store = await runtime.deadLetters();
  const handledIn = (group: string, id: string) => rec.handled.filter((h) => h.group === group && h.envelope.id === id);
  const envelope = createEnvelope("dtest.failed", { seq: 4000 }, "test");
  await runtime.publish(envelope);
  await waitFor(async () => (await inspect(store, "dtest.failed", envelope.id)).length === 2, {
    what: "both groups' dead letters",
    timeoutMs: 20000,
  });

  const letters = await inspect(store, "dtest.failed", envelope.id);
  expect(letters.map((l) => l.group).sort()).toEqual(["audit", "consumers"]);
  for (const letter of letters) {
    expect(letter).toMatchObject({ type: "dtest.failed", eventId: envelope.id, attempts: maxRetries });
    expect(letter.error).toContain("always fails");
    expect(letter.message).toMatchObject({ id: envelope.id, payload: { seq: 4000 } });
  }
  const summary = (await summarize(store, ["dtest.failed"])).find((s) => s.type === "dtest.failed");
  expect(summary?.count).toBeGreaterThanOrEqual(2);
  expect(summary?.groups).toMatchObject({ audit: expect.any(Number), consumers: expect.any(Number) });
  expect(await store.depth("dtest.failed")).toBe(summary?.count);

  // The REPL command prints the same list.
  const printed: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
  try {
    const command = dlqReplCommand() as { action(b: ServiceBroker, args: unknown): Promise<void> };
    await command.action(broker, { action: "list", type: "dtest.failed", options: {} });
  } finally {
    log.mockRestore();
  }
  expect(printed.join("\n")).toContain(`${envelope.id}  group=audit  attempts=${maxRetries}`);

  // A selection is required: nothing is replayed or dropped by accident.
  await expect(replay(runtime, store, "dtest.failed", {})).rejects.toThrow(/event id, or --all/);

  // The fix is deployed for "audit": its letter goes back to it, and to it only.
  rec.fixed.add("audit");
  const consumersAttempts = rec.attempts.get(`consumers:${envelope.id}`);
  expect(await replay(runtime, store, "dtest.failed", { eventId: envelope.id, group: "audit" })).toBe(1);
  await waitFor(() => handledIn("audit", envelope.id).length === 1, { what: "replayed to audit", timeoutMs: 20000 });
  expect((await inspect(store, "dtest.failed", envelope.id)).map((l) => l.group)).toEqual(["consumers"]);
  expect(rec.attempts.get(`consumers:${envelope.id}`)).toBe(consumersAttempts);
  expect(handledIn("consumers", envelope.id)).toHaveLength(0);

  expect(await drop(store, "dtest.failed", { all: true })).toBeGreaterThanOrEqual(1);
  expect(await store.depth("dtest.failed")).toBe(0);
  expect(await store.list("dtest.failed", 10)).toEqual([]);
}
