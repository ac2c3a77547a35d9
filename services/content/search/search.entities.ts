/**
 * What the search service stores (schema "search", migrations/). The index
 * is read and written with SQL of its own (index-store.ts, search-query.ts);
 * the field map describes the plain columns for the shared store and the
 * schema test. tsvector columns are the service's alone.
 */
import { join } from "node:path";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { Aspect, DocType, Position } from "./search-doc";

/** A row of `documents` as the store sees it (tsvectors aside). */
export interface IndexedDoc extends BaseDocument {
  type: DocType;
  sourceId: string;
  title: string;
  body: string;
  tags: string[];
  category: string | null;
  categoryKey: string | null;
  language: string | null;
  ownerId: string | null;
  channelId: string | null;
  path: string | null;
  live: boolean;
  viewers: number;
  followers: number;
  views: number;
  durationS: number | null;
  publishedAt: Date | null;
  listed: boolean;
  deleted: boolean;
  suspended: boolean;
  visible: boolean;
  popularity: number;
  guards: Partial<Record<Aspect, Position>>;
  sweptAt: Date | null;
}

const documents = entity<IndexedDoc>()({
  table: "documents",
  kind: "relational",
  fields: {
    type: { type: "string", required: true },
    sourceId: { type: "string", required: true },
    title: { type: "text", default: "" },
    body: { type: "text", default: "" },
    tags: { type: "json", default: () => [] },
    category: { type: "string" },
    categoryKey: { type: "string" },
    language: { type: "string" },
    ownerId: { type: "string" },
    channelId: { type: "string" },
    path: { type: "string" },
    live: { type: "boolean", default: false },
    viewers: { type: "integer", default: 0 },
    followers: { type: "integer", default: 0 },
    views: { type: "bigint", default: 0 },
    durationS: { type: "integer" },
    publishedAt: { type: "date" },
    listed: { type: "boolean", default: false },
    deleted: { type: "boolean", default: false },
    suspended: { type: "boolean", default: false },
    visible: { type: "boolean", default: false },
    popularity: { type: "float", default: 0 },
    guards: { type: "json", default: () => ({}) },
    sweptAt: { type: "date" },
  },
});

export const SEARCH_DB: DbMixinOptions = {
  schema: "search",
  primary: "documents",
  entities: { documents },
  migrations: [{ name: "search", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
