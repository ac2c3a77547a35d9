/**
 * What operators do with dead letters, on any transport: see them by type,
 * inspect one, replay one or all of a type to the consumer group that gave
 * up on them (once a fix is deployed), or drop them.
 */
import type { DurableEnvelope } from "../catalog";
import { parseEnvelope } from "../envelope";
import type { DurableRuntime } from "../runtime";
import type { DeadLetter, DeadLetterStore } from "./store";

export interface TypeSummary {
  type: string;
  count: number;
  /** Dead letters per consumer group, from the oldest `SUMMARY_SAMPLE`. */
  groups: Record<string, number>;
  /** The newest dead letter seen in that sample. */
  latest?: DeadLetter;
}

export interface LetterSelection {
  /** One event (all its groups' letters, unless `group` narrows it). */
  eventId?: string;
  /** Every letter of the type (narrowed by `group`). */
  all?: boolean;
  group?: string;
}

const SUMMARY_SAMPLE = 1000;
/** Upper bound of one replay/drop run. */
export const MAX_BATCH = 100_000;

/** Dead letters by type (the types with at least one). */
export async function summarize(store: DeadLetterStore, knownTypes: string[]): Promise<TypeSummary[]> {
  const summaries: TypeSummary[] = [];
  for (const type of await store.types(knownTypes)) {
    const count = await store.depth(type);
    if (count === 0) continue;
    const sample = await store.list(type, SUMMARY_SAMPLE);
    const groups: Record<string, number> = {};
    for (const letter of sample) groups[letter.group] = (groups[letter.group] ?? 0) + 1;
    summaries.push({ type, count, groups, latest: sample[sample.length - 1] });
  }
  return summaries;
}

/** Every letter of one event in the type (one per group that gave up on it). */
export async function inspect(store: DeadLetterStore, type: string, eventId: string): Promise<DeadLetter[]> {
  return (await store.list(type, MAX_BATCH)).filter((letter) => letter.eventId === eventId);
}

function matcher(selection: LetterSelection): (letter: DeadLetter) => boolean {
  if (!selection.all && !selection.eventId)
    throw new Error("Name an event id, or --all for every dead letter of the type");
  return (letter) =>
    (selection.all === true || letter.eventId === selection.eventId) &&
    (selection.group === undefined || letter.group === selection.group);
}

/**
 * Publishes each selected letter's event again, for its own group only
 * (the other groups of the type already handled it), then removes it. A
 * malformed message cannot be replayed: it stays until dropped.
 */
export async function replay(
  runtime: DurableRuntime,
  store: DeadLetterStore,
  type: string,
  selection: LetterSelection,
): Promise<number> {
  const selected = matcher(selection);
  return store.drain(
    type,
    (letter) => selected(letter) && parseEnvelope(letter.message, type).ok,
    MAX_BATCH,
    async (letter) => {
      const envelope = letter.message as DurableEnvelope;
      // The group's failure count restarts: the fixed handler gets its full retries.
      await runtime.dedupe.resetFailures(letter.group, envelope.id);
      await runtime.replay(envelope, letter.group);
    },
  );
}

export async function drop(store: DeadLetterStore, type: string, selection: LetterSelection): Promise<number> {
  return store.drain(type, matcher(selection), MAX_BATCH, async () => undefined);
}
