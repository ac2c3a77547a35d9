/**
 * The caller's own answers (`GET /me`) kept on the gateway, per user, so a
 * cluster's most frequent authenticated read does not cross NATS to the core
 * node and its cacher on every request (issue 19: cluster `/me` was 0.55x a
 * bare server doing only the token verification).
 *
 * What stays true:
 * - Keyed by action and the caller's user id: one user's answer is never
 *   served to another. Only a call without params (GET /me takes none; the
 *   gateway's query check refuses unknown ones) is kept.
 * - Everything before the action call still runs on every request: rate
 *   limits, the token (verified-token cache), the revoked-session check,
 *   authorization. A revoked session gets its 401 with a warm entry.
 * - The caller's own change shows at once: any non-GET request of a user
 *   drops that user's answers before and after its call (`PATCH /me`,
 *   `/me/preferences`, a follow), on the gateway that carried it.
 * - Any other write of the owning service (another gateway, an admin, a
 *   consumer) drops every answer of that service when its
 *   `cache.invalidated` broadcast arrives (mixins/read-cache). A broadcast
 *   lost with a node leaves an answer stale for READ_CACHE_TTL_S at most:
 *   the bound of the cacher behind it, and the same setting (0 turns both off).
 *   A miss asks the action past that cacher (`$cache: false`): a copy held
 *   there for a while, then here for the full TTL, would be older than that.
 * - A call that started before a drop does not store its (possibly old)
 *   answer after it: a user's drop refuses that user's fills in flight, the
 *   owning service's broadcast every fill in flight (a generation).
 */
import type { ServerResponse } from "node:http";
import type { Context, Service, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { BoundedTtlCache } from "../../../lib/cache";
import { getConfig } from "../../../lib/config";
import { onEvent } from "../../../lib/contracts";
import "../../../mixins/read-cache/read-cache.events";
import type { ApiThis, ArenaRequest } from "./api.context";

/** Per-user actions the gateway keeps, and the service whose writes invalidate each. */
export const GATEWAY_USER_ANSWERS: Readonly<Record<string, string>> = { "users.me": "users" };

/** Most answers kept (least recently used first out): about 1 KB each. */
export const USER_ANSWERS_MAX = 10_000;

/** A fill of one user's answer in flight, and whether that user's answers were dropped since it began. */
interface UserFills {
  pending: number;
  dropped: boolean;
}

/** An answer being fetched: `finish` stores it unless its user, or the owning service, changed since `begin`. */
export interface AnswerFill {
  readonly userId: string;
  readonly generation: number;
  readonly state: UserFills;
}

export class UserAnswerCache {
  private readonly entries: BoundedTtlCache<string, unknown>;
  /** Users with a fill in flight: a user's own drop refuses only that user's fills (bounded by requests in flight). */
  private readonly filling = new Map<string, UserFills>();

  constructor(ttlMs: number, maxEntries = USER_ANSWERS_MAX, now: () => number = Date.now) {
    this.entries = new BoundedTtlCache({ maxEntries, ttlMs, now });
  }

  get enabled(): boolean {
    return this.entries.enabled;
  }

  get size(): number {
    return this.entries.size;
  }

  get(action: string, userId: string): unknown {
    return this.entries.get(`${action}\u0000${userId}`);
  }

  /** Before fetching a user's answer. */
  begin(userId: string): AnswerFill {
    let state = this.filling.get(userId);
    if (state === undefined) {
      state = { pending: 0, dropped: false };
      this.filling.set(userId, state);
    }
    state.pending += 1;
    return { userId, generation: this.entries.generation(), state };
  }

  /** After the fetch (`data` undefined when it failed): stored unless something dropped it meanwhile. */
  finish(fill: AnswerFill, action: string, data: unknown): void {
    const { state, userId } = fill;
    state.pending -= 1;
    if (state.pending === 0 && this.filling.get(userId) === state) this.filling.delete(userId);
    if (data === undefined || state.dropped) return;
    this.entries.set(`${action}\u0000${userId}`, data, fill.generation);
  }

  dropUser(userId: string): void {
    const state = this.filling.get(userId);
    if (state !== undefined) {
      // Fills begun before this drop are refused; the next ones start a fresh state.
      state.dropped = true;
      this.filling.delete(userId);
    }
    for (const action of Object.keys(GATEWAY_USER_ANSWERS)) this.entries.delete(`${action}\u0000${userId}`);
  }

  /** Every answer of the actions `service` owns (and every fill in flight); another service's write changes none. */
  dropService(service: string): void {
    const actions = Object.keys(GATEWAY_USER_ANSWERS).filter((a) => GATEWAY_USER_ANSWERS[a] === service);
    if (actions.length > 0)
      this.entries.invalidateWhere((_answer, key) => actions.some((a) => key.startsWith(`${a}\u0000`)));
  }
}

interface GatewayRoute {
  callOptions?: object;
}

type CallAction = (
  this: ApiThis,
  route: GatewayRoute,
  actionName: string,
  req: ArenaRequest,
  res: ServerResponse,
  params: unknown,
) => Promise<unknown>;

const gatewayCallAction = (ApiGateway as unknown as { methods: { callAction: CallAction } }).methods.callAction;

/** Meta a handler may set to shape its HTTP answer: an answer that set any is not kept. */
const RESPONSE_META = ["$statusCode", "$statusMessage", "$responseType", "$responseHeaders", "$location"] as const;

interface UserAnswersThis extends ApiThis {
  userAnswers: UserAnswerCache;
  sendResponse(req: ArenaRequest, res: ServerResponse, data: unknown, action?: unknown): void;
}

const noParams = (params: unknown): boolean =>
  params === undefined || params === null || (typeof params === "object" && Object.keys(params).length === 0);

/** For the REST gateway (api.service.ts), listed before moleculer-web so its `callAction` wraps the stock one. */
export function UserAnswersMixin(): Partial<ServiceSchema> {
  return {
    events: {
      ...onEvent("cache.invalidated", function (this: UserAnswersThis, payload) {
        this.userAnswers.dropService(payload.service);
      }),
    },

    methods: {
      async callAction(
        this: UserAnswersThis,
        route: GatewayRoute,
        actionName: string,
        req: ArenaRequest,
        res: ServerResponse,
        params: unknown,
      ): Promise<unknown> {
        const ctx = (req as ArenaRequest & { $ctx: Context<unknown, ArenaMeta & Record<string, unknown>> }).$ctx;
        const userId = ctx.meta.user?.id;
        const cache = this.userAnswers;
        if (!userId || !cache.enabled) return gatewayCallAction.call(this, route, actionName, req, res, params);
        if (req.method !== "GET" && req.method !== "HEAD") {
          // The caller's own write: gone before it runs (a read racing it does not store) and after it.
          cache.dropUser(userId);
          try {
            return await gatewayCallAction.call(this, route, actionName, req, res, params);
          } finally {
            cache.dropUser(userId);
          }
        }
        if (!(actionName in GATEWAY_USER_ANSWERS) || !noParams(params))
          return gatewayCallAction.call(this, route, actionName, req, res, params);
        const endpoint = (req as ArenaRequest & { $endpoint: { action?: unknown } }).$endpoint;
        const action = endpoint.action;
        const kept = cache.get(actionName, userId);
        if (kept !== undefined) {
          this.sendResponse(req, res, kept, action);
          return true;
        }
        const fill = cache.begin(userId);
        const meta = ctx.meta;
        // As moleculer-web calls it: the endpoint it resolved (circuit breaker, timeout and retries apply).
        const call = ctx.call as unknown as (ep: unknown, p: unknown, o: object) => Promise<unknown>;
        // Past the callee's own cacher: a copy it has held for a while would outlive the bound here.
        // (`$cache: false` travels to the calls it makes too; a kept action makes none: users.me reads its store.)
        const opts = { ...route.callOptions, meta: { $cache: false } };
        let data: unknown;
        try {
          data = await call.call(ctx, endpoint, params, opts);
        } finally {
          cache.finish(fill, actionName, RESPONSE_META.some((k) => meta[k] !== undefined) ? undefined : data);
        }
        this.sendResponse(req, res, data, action);
        return true;
      },
    },

    created(this: Service) {
      // Before api.service's own `created` (mixins' hooks run first): the config, not this.config.
      (this as UserAnswersThis).userAnswers = new UserAnswerCache(getConfig().readCacheTtlS * 1000);
    },
  };
}
