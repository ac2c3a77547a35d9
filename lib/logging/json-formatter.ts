import { redactString, redactValue } from "./redact";
import { currentRequestContext } from "./request-context";

type LogBindings = { nodeID?: string; ns?: string; mod?: string; svc?: string };

function printable(arg: unknown): string {
  if (typeof arg === "string") return redactString(arg);
  if (arg instanceof Error) return redactString(`${arg.name}: ${arg.message}`);
  return JSON.stringify(redactValue(arg));
}

/** Moleculer console-logger formatter: one redacted JSON object per line. */
export function jsonLogFormatter(type: string, args: unknown[], bindings: LogBindings): string[] {
  // The request being handled (if any): ELK finds every line of one request, on every node, by these ids.
  const request = currentRequestContext();
  const line: Record<string, unknown> = { time: new Date().toISOString(), level: type, ...bindings, ...request };
  const first = args[0];
  if (first !== null && typeof first === "object" && !(first instanceof Error) && !Array.isArray(first)) {
    Object.assign(line, redactValue(first) as Record<string, unknown>);
    line.message = args.slice(1).map(printable).join(" ");
  } else {
    line.message = args.map(printable).join(" ");
  }
  const err = args.find((a): a is Error => a instanceof Error);
  if (err?.stack) line.stack = redactString(err.stack);
  return [JSON.stringify(line)];
}

/** Text formatter for embedded mode, still redacted. */
export function textLogFormatter(type: string, args: unknown[], bindings: LogBindings): string[] {
  return [
    `[${new Date().toISOString()}] ${type.toUpperCase().padEnd(5)} ${bindings.nodeID ?? ""}/${(bindings.mod ?? "").toUpperCase()}:`,
    ...args.map(printable),
  ];
}
