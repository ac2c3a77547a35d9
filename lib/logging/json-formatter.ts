import { redactString, redactValue } from "./redact";
import { currentRequestContext } from "./request-context";

type LogBindings = { nodeID?: string; ns?: string; mod?: string; svc?: string };

/** JSON of a redacted value; a log call must never throw, whatever it was handed. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[unserializable]";
  }
}

function printable(arg: unknown): string {
  if (typeof arg === "string") return redactString(arg);
  if (arg instanceof Error) return redactString(`${arg.name}: ${arg.message}`);
  return safeJson(redactValue(arg));
}

/** Moleculer console-logger formatter: one redacted JSON object per line. */
export function jsonLogFormatter(type: string, args: unknown[], bindings: LogBindings): string[] {
  // The request being handled (if any): ELK finds every line of one request, on every node, by these ids.
  const request = currentRequestContext();
  const line: Record<string, unknown> = { time: new Date().toISOString(), level: type, ...bindings, ...request };
  const first = args[0];
  const fields = first !== null && typeof first === "object" && !(first instanceof Error) ? redactValue(first) : null;
  if (fields !== null && typeof fields === "object" && !Array.isArray(fields)) {
    Object.assign(line, fields);
    line.message = args.slice(1).map(printable).join(" ");
  } else {
    line.message = args.map(printable).join(" ");
  }
  const err = args.find((a): a is Error => a instanceof Error);
  if (err?.stack) line.stack = redactString(err.stack);
  const json = safeJson(line);
  return [
    json.startsWith("{")
      ? json
      : JSON.stringify({ time: line.time, level: type, message: "[unserializable log line]" }),
  ];
}

/** Text formatter for embedded mode, still redacted. */
export function textLogFormatter(type: string, args: unknown[], bindings: LogBindings): string[] {
  return [
    `[${new Date().toISOString()}] ${type.toUpperCase().padEnd(5)} ${bindings.nodeID ?? ""}/${(bindings.mod ?? "").toUpperCase()}:`,
    ...args.map(printable),
  ];
}
