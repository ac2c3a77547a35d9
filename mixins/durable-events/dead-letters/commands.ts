/**
 * The operators' `dlq` command, one grammar for the REPL (`dlq list`) and
 * the command line (`npm run events -- dlq list`):
 *
 *   dlq list [type] [--limit n]          dead letters by type, or one type's letters
 *   dlq inspect <type> <eventId>         everything about one event's dead letters
 *   dlq replay <type> (<eventId>|--all) [--group g]   back to the group that gave up
 *   dlq drop <type> (<eventId>|--all) [--group g]
 */
import type { ServiceBroker } from "moleculer";
import { getRuntime } from "../runtime";
import { drop, inspect, replay, summarize, type LetterSelection } from "./operations";
import type { DeadLetter } from "./store";

export type DlqAction = "list" | "inspect" | "replay" | "drop";

export interface DlqCommand extends LetterSelection {
  action: DlqAction;
  type?: string;
  limit?: number;
}

export const DLQ_USAGE = [
  "dlq list [type] [--limit n]",
  "dlq inspect <type> <eventId>",
  "dlq replay <type> (<eventId> | --all) [--group <group>]",
  "dlq drop <type> (<eventId> | --all) [--group <group>]",
].join("\n");

const ACTIONS: readonly DlqAction[] = ["list", "inspect", "replay", "drop"];

/** Parses `<action> [type] [eventId] [--all] [--group g] [--limit n]`. */
export function parseDlqArgs(args: string[]): DlqCommand {
  const positional: string[] = [];
  const command: Partial<DlqCommand> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--all") command.all = true;
    else if (arg === "--group") command.group = args[++i];
    else if (arg === "--limit") command.limit = Number(args[++i]);
    else if (arg.startsWith("--")) throw new Error(`Unknown option ${arg}\n${DLQ_USAGE}`);
    else positional.push(arg);
  }
  const [action, type, eventId] = positional;
  if (!ACTIONS.includes(action as DlqAction)) throw new Error(DLQ_USAGE);
  if (action !== "list" && !type) throw new Error(`dlq ${action}: which event type?\n${DLQ_USAGE}`);
  if (action === "inspect" && !eventId) throw new Error(`dlq inspect: which event id?\n${DLQ_USAGE}`);
  if (command.limit !== undefined && (!Number.isInteger(command.limit) || command.limit < 1))
    throw new Error("--limit must be a positive integer");
  return { ...command, action: action as DlqAction, type, eventId };
}

const oneLine = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function letterLine(letter: DeadLetter): string {
  const id = letter.eventId || "(malformed)";
  return `${id}  group=${letter.group}  attempts=${letter.attempts}  at=${letter.deadAt}  error=${oneLine(letter.error)}`;
}

/** Runs one command against the broker's durable-events adapter; `print` gets the output lines. */
export async function runDlqCommand(
  broker: ServiceBroker,
  command: DlqCommand,
  print: (line: string) => void,
  knownTypes: string[] = [],
): Promise<void> {
  const runtime = getRuntime(broker);
  const store = await runtime.deadLetters();
  const known = [...new Set([...knownTypes, ...runtime.consumed.keys()])];
  switch (command.action) {
    case "list": {
      if (command.type) {
        const letters = await store.list(command.type, command.limit ?? 50);
        const total = await store.depth(command.type);
        print(
          `${command.type}: ${total} dead letter(s)${total > letters.length ? `, oldest ${letters.length} shown` : ""}`,
        );
        for (const letter of letters) print(`  ${letterLine(letter)}`);
        return;
      }
      const summaries = await summarize(store, known);
      if (summaries.length === 0) print("No dead letters.");
      for (const s of summaries) {
        const groups = Object.entries(s.groups)
          .map(([group, n]) => `${group}:${n}`)
          .join(" ");
        print(`${s.type}: ${s.count}  groups ${groups}`);
        if (s.latest) print(`  latest: ${letterLine(s.latest)}`);
      }
      return;
    }
    case "inspect": {
      const letters = await inspect(store, command.type as string, command.eventId as string);
      if (letters.length === 0) print(`No dead letter of event ${command.eventId} in ${command.type}.`);
      for (const letter of letters) print(JSON.stringify(letter, null, 2));
      return;
    }
    case "replay": {
      const count = await replay(runtime, store, command.type as string, command);
      print(`Replayed ${count} dead letter(s) of ${command.type} to their consumer group(s).`);
      return;
    }
    case "drop": {
      const count = await drop(store, command.type as string, command);
      print(`Dropped ${count} dead letter(s) of ${command.type}.`);
      return;
    }
  }
}

/** The REPL's `dlq` command (moleculer-repl custom command). */
export function dlqReplCommand(): Record<string, unknown> {
  return {
    command: "dlq <action> [type] [eventId]",
    description: "Dead letters of durable events: list, inspect, replay, drop",
    allowUnknownOptions: true,
    options: [
      { option: "--all", description: "every dead letter of the type (replay, drop)" },
      { option: "--group <group>", description: "only this consumer group's dead letters" },
      { option: "--limit <n>", description: "letters to show (list)" },
    ],
    async action(
      broker: ServiceBroker,
      args: { action: string; type?: string; eventId?: string; options: Record<string, unknown> },
    ) {
      const argv = [args.action, args.type, args.eventId].filter((a): a is string => typeof a === "string");
      if (args.options.all) argv.push("--all");
      if (typeof args.options.group === "string") argv.push("--group", args.options.group);
      if (args.options.limit !== undefined) argv.push("--limit", String(args.options.limit));
      try {
        await runDlqCommand(broker, parseDlqArgs(argv), (line) => console.log(line));
      } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
