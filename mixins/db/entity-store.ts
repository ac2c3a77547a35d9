/**
 * The entity-store contract: one API over PostgreSQL, PGlite and MongoDB.
 * Services use it through `this.stores.<entityKey>`; the contract suite in
 * test/integration/mixins/db/entity-store.contract.test.ts runs against every backend.
 */
import type { BaseDocument } from "./entity";

export type Scalar = string | number | boolean | Date | null;

/** Operators allowed on one field. */
export interface FieldOperators {
  $in?: Scalar[];
  $ne?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  /**
   * Json array fields only: the array holds this element (`{ tags: { $contains: "fps" } }`).
   * PostgreSQL `@>` (a GIN index on the column serves it), MongoDB `$all`.
   */
  $contains?: Exclude<Scalar, null | Date>;
}

/**
 * Equality on fields (`{ channelId: "c1" }`), or operators on a field
 * (`{ viewerCount: { $gte: 10 } }`). All conditions are ANDed. `null`
 * matches missing/NULL values. Json fields compare by value.
 */
export type StoreQuery = Record<string, Scalar | FieldOperators | Record<string, unknown> | unknown[] | undefined>;

export interface FindOptions {
  query?: StoreQuery;
  /** field names, "-" prefix for descending: `["-createdAt", "id"]` */
  sort?: string[];
  limit?: number;
  offset?: number;
}

type Managed = "id" | "createdAt" | "updatedAt";
/** Keys whose type admits null: they may be left out on insert (stored as the column default / NULL). */
type NullableKeys<T> = { [K in keyof T]-?: null extends T[K] ? K : never }[keyof T];

/** Fields a caller may write on insert: nullable fields optional, id and timestamps optional. */
export type NewDocument<T extends BaseDocument> = Omit<T, Managed | NullableKeys<T>> &
  Partial<Pick<T, Exclude<NullableKeys<T>, Managed>>> & {
    id?: string;
    createdAt?: Date;
    updatedAt?: Date;
  };
export type DocumentPatch<T extends BaseDocument> = Partial<Omit<T, "id" | "createdAt" | "updatedAt">>;

export interface EntityStore<T extends BaseDocument> {
  /** Inserts one document; id defaults to randomUUID. A duplicate id/unique key throws ConflictError (409). */
  insert(doc: NewDocument<T>): Promise<T>;
  insertMany(docs: NewDocument<T>[]): Promise<T[]>;
  /** false when the id (or any unique key) already exists: for idempotent handlers. */
  insertIfAbsent(doc: NewDocument<T>): Promise<boolean>;
  findById(id: string): Promise<T | null>;
  /** Batch read for getMany actions; order follows the stored order, missing ids are left out. */
  findByIds(ids: string[]): Promise<T[]>;
  find(options?: FindOptions): Promise<T[]>;
  findOne(query: StoreQuery, sort?: string[]): Promise<T | null>;
  count(query?: StoreQuery): Promise<number>;
  /** Returns the updated document, or null when no document has this id. */
  updateById(id: string, patch: DocumentPatch<T>): Promise<T | null>;
  /** Returns how many documents matched. */
  updateMany(query: StoreQuery, patch: DocumentPatch<T>): Promise<number>;
  /** Returns the removed document, or null. */
  removeById(id: string): Promise<T | null>;
  removeMany(query: StoreQuery): Promise<number>;
  /** Atomic `field += by`; returns the updated document or null when the id is unknown. */
  increment(id: string, field: keyof T & string, by?: number): Promise<T | null>;
}
