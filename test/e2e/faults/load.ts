/**
 * Load for the fault suites: N clients (Node's fetch, keep-alive, like the
 * fault run's) repeat one request until stopped; every outcome is kept with
 * its timing, so a suite can ask what happened in any window (errors, stalls,
 * connection resets) and print the figures docs/operations.md quotes.
 */
export interface Outcome {
  startedAt: number;
  endedAt: number;
  /** HTTP status, or undefined when the request failed without a response. */
  status?: number;
  /** Why there was no response: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, TIMEOUT... */
  error?: string;
}

/** A request sent and then dropped by the server: the failure a graceful server must never cause. */
export const RESET_ERRORS = new Set(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"]);

export interface Load {
  outcomes: Outcome[];
  /** Outcomes of requests started at or after `from` (ms epoch). */
  since(from: number): Outcome[];
  stop(): Promise<Outcome[]>;
}

function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError") return "TIMEOUT";
  return e?.cause?.code ?? e?.code ?? e?.name ?? "UNKNOWN";
}

export function startLoad(clients: number, url: string, init: RequestInit = {}, timeoutMs = 15000): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  const client = async (): Promise<void> => {
    while (running) {
      const startedAt = Date.now();
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        outcomes.push({ startedAt, endedAt: Date.now(), status: res.status });
      } catch (err) {
        const error = errorCode(err);
        outcomes.push({ startedAt, endedAt: Date.now(), error });
        // A refused connection fails in microseconds: do not spin while the server is away.
        if (error === "ECONNREFUSED") await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));
  return {
    outcomes,
    since: (from) => outcomes.filter((o) => o.startedAt >= from),
    async stop() {
      running = false;
      await done;
      return outcomes;
    },
  };
}

export function latencies(outcomes: Outcome[]): number[] {
  return outcomes.map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * How long clients saw trouble after `from`: from `from` to the end of the
 * last request that failed or took longer than `slowMs` (0 when none did).
 */
export function troubleWindowMs(outcomes: Outcome[], from: number, slowMs: number): number {
  let last = from;
  for (const o of outcomes) {
    if (o.endedAt < from) continue;
    const bad = o.status === undefined || o.status >= 500 || o.endedAt - o.startedAt > slowMs;
    if (bad) last = Math.max(last, o.endedAt);
  }
  return last - from;
}

/** Prints one measured figure (docs/operations.md quotes them) without Jest's console decoration. */
export function figure(name: string, value: number | string, unit = "ms"): void {
  process.stderr.write(`[faults] ${name}: ${value}${typeof value === "number" ? ` ${unit}` : ""}\n`);
}
