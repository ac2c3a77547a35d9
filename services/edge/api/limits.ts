import type { ServerResponse } from "node:http";
import { RateLimitedError } from "../../../lib/errors";
import {
  decide,
  type CounterHit,
  type LimitDecision,
  type LocalHits,
  type RateLimitStore,
  type WindowHit,
} from "../../../lib/rate-limit";

/** Per-IP and per-user fixed windows; headers report whichever limit is closest to biting. */
export interface LimitPolicy {
  windowMs: number;
  perIp: number;
  perUser: number;
  /** Per-IP budget of routes in the "media" bucket. */
  mediaPerIp: number;
  /** Per-IP budget of routes in the "auth" bucket (on top of the API budget). */
  authPerIp: number;
  /** Per-IP and per-user budgets of routes in the "search" bucket (on top of the API budgets). */
  searchPerIp: number;
  searchPerUser: number;
  /** Redis down: we fail open (log and allow) rather than take the whole API down with it. */
  onStoreError(err: unknown): void;
}

export type LimitSubject =
  | { ip: string; userId?: undefined; bucket?: "api" | "media" | "auth" | "search" }
  | { userId: string; ip?: undefined; bucket?: "search" };

function writeHeaders(res: ServerResponse, d: LimitDecision): void {
  const current = res.getHeader("X-RateLimit-Remaining");
  if (current !== undefined && Number(current) < d.remaining) return;
  res.setHeader("X-RateLimit-Limit", String(d.limit));
  res.setHeader("X-RateLimit-Remaining", String(d.remaining));
  res.setHeader("X-RateLimit-Reset", String(Math.ceil(d.resetAt / 1000)));
}

/** A twentieth of the per-IP budget (15 a minute at the default 300), never under 5 nor over the budget itself. */
export function authBudget(perIp: number): number {
  return Math.min(perIp, Math.max(5, Math.ceil(perIp / 20)));
}

/** The counter and budget of one subject. */
function counterOf(policy: LimitPolicy, subject: LimitSubject): CounterHit {
  const [key, limit] =
    subject.ip === undefined
      ? subject.bucket === "search"
        ? [`search-user:${subject.userId}`, policy.searchPerUser]
        : [`user:${subject.userId}`, policy.perUser]
      : subject.bucket === "search"
        ? [`search-ip:${subject.ip}`, policy.searchPerIp]
        : subject.bucket === "media"
          ? [`media-ip:${subject.ip}`, policy.mediaPerIp]
          : subject.bucket === "auth"
            ? [`auth-ip:${subject.ip}`, policy.authPerIp]
            : [`ip:${subject.ip}`, policy.perIp];
  return { key, limit, windowMs: policy.windowMs };
}

/**
 * Counts one request against `subject`'s budget: writes the X-RateLimit-* headers, throws RateLimitedError
 * (429) when over, and fails open (allows, reports `onStoreError`) when the store cannot count. Answers at once,
 * without a promise, when the store can count locally (memory; a Redis lease while it lasts).
 */
export function enforceLimits(
  store: RateLimitStore,
  policy: LimitPolicy,
  res: ServerResponse,
  subject: LimitSubject,
): void | Promise<void> {
  return enforceLimitsTogether(store, policy, res, [subject]);
}

/**
 * `enforceLimits` for each subject in turn, in one round trip to the store when it can
 * (`hitUntilOver`): the same counters, headers and 429, and a subject after the one that
 * is over its limit is not counted, as with consecutive calls. The subjects the store can
 * count locally are counted first, without waiting.
 */
export function enforceLimitsTogether(
  store: RateLimitStore,
  policy: LimitPolicy,
  res: ServerResponse,
  subjects: LimitSubject[],
): void | Promise<void> {
  const counters = subjects.map((s) => counterOf(policy, s));
  let counted = 0;
  const local = (store as RateLimitStore & Partial<LocalHits>).takeNow;
  if (local) {
    const now = Date.now();
    for (; counted < counters.length; counted += 1) {
      const counter = counters[counted] as CounterHit;
      const hit = local.call(store, counter);
      if (hit === undefined) break;
      enforce(res, decide(hit, counter.limit, now));
    }
    if (counted === counters.length) return;
  }
  return countInStore(store, policy, res, counted === 0 ? counters : counters.slice(counted));
}

function enforce(res: ServerResponse, decision: LimitDecision): void {
  writeHeaders(res, decision);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
}

async function countInStore(
  store: RateLimitStore,
  policy: LimitPolicy,
  res: ServerResponse,
  counters: CounterHit[],
): Promise<void> {
  let hits: WindowHit[];
  try {
    if (store.hitUntilOver) hits = await store.hitUntilOver(counters);
    else {
      hits = [];
      for (const c of counters) {
        const hit = await store.hit(c.key, c.windowMs);
        hits.push(hit);
        if (hit.count > c.limit) break;
      }
    }
  } catch (err) {
    policy.onStoreError(err);
    return;
  }
  const now = Date.now();
  hits.forEach((hit, i) => enforce(res, decide(hit, (counters[i] as CounterHit).limit, now)));
}
