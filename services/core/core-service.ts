/**
 * What the DbMixin and DurableEventsMixin add to a core service's `this`,
 * typed once for identity, users and channels.
 */
import type { Service } from "moleculer";
import type { BaseDocument } from "../../mixins/db/entity";
import type { EntityStore } from "../../mixins/db/entity-store";
import type { DbHandle } from "../../mixins/db/sql-db";
import type { DurableEventMap, DurableEventName } from "../../mixins/durable-events/catalog";

export type Stores<M extends Record<string, BaseDocument>> = { [K in keyof M]: EntityStore<M[K]> };

export interface DurablePublisher {
  publishDurable<N extends DurableEventName>(
    type: N,
    payload: DurableEventMap[N],
    options?: { key?: string },
  ): Promise<string>;
}

export type CoreServiceThis<M extends Record<string, BaseDocument>> = Service &
  DurablePublisher & {
    stores: Stores<M>;
    db: DbHandle;
  };

/** Paging every list route accepts: bounded so a client cannot ask for the whole table. */
export const PAGING_PARAMS = {
  limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
  offset: { type: "number", integer: true, min: 0, max: 100000, optional: true, convert: true },
} as const;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function paging(params: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: params.limit ?? 20, offset: params.offset ?? 0 };
}

/** Ids are UUIDs or Keycloak subjects: bounded strings, never objects. */
export const ID = { type: "string", min: 1, max: 100 } as const;

/** moleculer-web answers with ctx.meta.$statusCode: 201 for a created resource. */
export function markCreated(ctx: { meta: object }): void {
  (ctx.meta as { $statusCode?: number }).$statusCode = 201;
}
