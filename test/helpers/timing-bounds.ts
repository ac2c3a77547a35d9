/**
 * Bounds for "within N ms" assertions in e2e specs, derived from the settings
 * that govern the behaviour (heartbeats, timeouts, ticks) rather than picked
 * by hand: they stay true on a loaded 2-core CI machine and still fail when
 * the mechanism regresses (waiting for a timeout instead of failing fast, a
 * node never dropped, a tick that stopped).
 */
import { HEARTBEAT_INTERVAL_S, HEARTBEAT_TIMEOUT_S } from "../../bin/broker-options";

export const HEARTBEAT_INTERVAL_MS = HEARTBEAT_INTERVAL_S * 1000;
export const HEARTBEAT_TIMEOUT_MS = HEARTBEAT_TIMEOUT_S * 1000;

/** Allowance for what a loaded machine adds to a timer-driven step (scheduling, GC, NATS round trips). */
export const LOAD_SLACK_MS = 3000;

/**
 * "Fails fast" means answered without waiting for the request timeout: half
 * of it leaves room for load and still fails a call that waited it out.
 */
export function failsFastWithin(requestTimeoutMs: number): number {
  return requestTimeoutMs / 2;
}

/** A state refreshed every `tickMs` and expiring `ttlMs` after its last refresh is gone within this. */
export function expiresWithin(ttlMs: number, tickMs: number): number {
  return ttlMs + 2 * tickMs + LOAD_SLACK_MS;
}
