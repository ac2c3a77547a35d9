/**
 * The one typed map of action name → params and result, and the helpers that
 * make calls and handlers check against it.
 *
 * It starts empty on purpose: each service declares the actions it offers in
 * its own `<name>.contract.ts` by declaration merging, so the map grows with
 * the services and this file never becomes a shared edit point:
 *
 *   declare module "../../../lib/contracts/actions" {
 *     interface ActionMap {
 *       "videos.get": { params: { id: string }; result: VideoView };
 *     }
 *   }
 *
 * Callers use `callAction(ctx, "videos.get", { id })`: an unknown name, wrong
 * params or a misread result fail `npm run typecheck`. The service declares
 * its `actions` with `satisfies ServiceActions<"videos", VideosThis>`, so a
 * renamed, missing or extra action, or a handler whose result no longer
 * matches the contract, fails the typecheck too.
 */
import type { ActionSchema, CallingOptions, Context } from "moleculer";
import type { ArenaMeta } from "../auth/auth-user";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActionMap {}

export type ActionName = keyof ActionMap;

/** What every ActionMap entry looks like. */
export interface ActionContract<P = unknown, R = unknown> {
  params: P;
  result: R;
}

export type ParamsOf<N extends ActionName> = ActionMap[N] extends { params: infer P } ? P : never;
export type ResultOf<N extends ActionName> = ActionMap[N] extends { result: infer R } ? R : never;

/** ctx.meta as Arena's gateway and nodes fill it, plus what a route adds ($params, $statusCode …). */
export type ArenaContextMeta = ArenaMeta & Record<string, unknown>;

/** Any Arena context with params `P` (helpers shared by several actions take this). */
export type ArenaContext<P = unknown> = Context<P, ArenaContextMeta>;

/** The context an action handler of `N` receives. */
export type ActionContext<N extends ActionName> = ArenaContext<ParamsOf<N>>;

/** Anything that can call an action: a broker or a context (which keeps the caller's meta and tracing). */
export interface ActionCaller {
  call<T, P>(actionName: string, params?: P, opts?: CallingOptions): Promise<T>;
}

/** Calls action `name` with params and result typed by the ActionMap. */
export function callAction<N extends ActionName>(
  caller: ActionCaller,
  name: N,
  params: ParamsOf<N>,
  opts?: CallingOptions,
): Promise<ResultOf<N>> {
  return caller.call<ResultOf<N>, ParamsOf<N>>(name, params, opts);
}

/** The actions of service `S`, by short name → full name. */
export type ActionsOfService<S extends string> = {
  [N in ActionName as N extends `${S}.${infer A}` ? A : never]: N;
};

/** One action's schema whose handler must honour the contract of `N`. */
export type TypedActionSchema<N extends ActionName, This> = Omit<ActionSchema, "handler"> & {
  handler(this: This, ctx: ActionContext<N>): Promise<ResultOf<N>> | ResultOf<N>;
};

/**
 * Exactly the actions service `S` declares in the ActionMap, each with a
 * handler honouring its contract. Use with `satisfies` on the `actions` block.
 */
export type ServiceActions<S extends string, This> = {
  [A in keyof ActionsOfService<S>]: ActionsOfService<S>[A] extends ActionName
    ? TypedActionSchema<ActionsOfService<S>[A], This>
    : never;
};
