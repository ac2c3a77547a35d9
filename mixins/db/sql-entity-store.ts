/**
 * EntityStore over PostgreSQL (real server or embedded PGlite): one table per
 * entity in the service's schema, a column per field in snake_case, json
 * fields as JSONB. Every statement is schema-qualified, so it does not depend
 * on the connection's search_path.
 */
import { ConflictError, ValidationError } from "../../lib/errors";
import type { BaseDocument, EntityDefinition } from "./entity";
import { columnName } from "./entity";
import type { DocumentPatch, EntityStore, FindOptions, NewDocument, StoreQuery } from "./entity-store";
import { assertNumericField, normalizePaging, prepareInsert, preparePatch, type PlainDocument } from "./document-codec";
import { BindList, columnOf, orderClause, qualifiedTable, whereClause } from "./sql-query";
import type { SqlRunner } from "./sql-db";
import { ByIdBatch } from "./by-id-batch";

type Row = Record<string, unknown>;

const MAX_BIND_PARAMETERS = 65000;

export class SqlEntityStore<T extends BaseDocument> implements EntityStore<T> {
  private readonly table: string;
  private readonly fields: string[];
  /** How each field comes back from a row, worked out once (toDocument runs for every row read). */
  private readonly readers: Array<{ field: string; column: string; numeric: boolean; date: boolean }>;
  /** findById outside a transaction: concurrent reads share one statement (by-id-batch.ts). */
  private readonly byId: ByIdBatch<Row>;

  constructor(
    private readonly db: SqlRunner,
    private readonly entity: EntityDefinition,
  ) {
    this.table = qualifiedTable(db.schema, entity.table);
    this.fields = ["id", "createdAt", "updatedAt", ...Object.keys(entity.fields)];
    this.readers = this.fields.map((field) => {
      const type = field in entity.fields ? entity.fields[field].type : undefined;
      return {
        field,
        column: columnName(field),
        numeric: type === "bigint" || type === "integer" || type === "float",
        date: type === "date" || field === "createdAt" || field === "updatedAt",
      };
    });
    this.byId = new ByIdBatch((ids) => this.rowsById(ids), copyRow);
  }

  async insert(doc: NewDocument<T>): Promise<T> {
    const [row] = await this.insertRows([doc], "");
    return this.toDocument(row);
  }

  async insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    if (docs.length === 0) return [];
    // PostgreSQL takes at most 65535 bind parameters per statement: big
    // batches (chat history) go in chunks, inside one transaction so the
    // batch stays all-or-nothing.
    const rowsPerStatement = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / this.fields.length));
    if (docs.length <= rowsPerStatement) return (await this.insertRows(docs, "")).map((row) => this.toDocument(row));
    return this.db.transaction(async () => {
      const inserted: T[] = [];
      for (let start = 0; start < docs.length; start += rowsPerStatement) {
        const rows = await this.insertRows(docs.slice(start, start + rowsPerStatement), "");
        inserted.push(...rows.map((row) => this.toDocument(row)));
      }
      return inserted;
    });
  }

  async insertIfAbsent(doc: NewDocument<T>): Promise<boolean> {
    return (await this.insertRows([doc], "ON CONFLICT DO NOTHING")).length === 1;
  }

  async findById(id: string): Promise<T | null> {
    if (this.db.currentTransaction() === undefined) {
      const row = await this.byId.get(id);
      return row ? this.toDocument(row) : null;
    }
    const rows = await this.run<Row>(`SELECT * FROM ${this.table} WHERE "id" = $1`, [id]);
    return rows.length > 0 ? this.toDocument(rows[0]) : null;
  }

  /** The rows of `ids` by id: the single-row statement for one id, `= ANY` for more. */
  private async rowsById(ids: string[]): Promise<Map<string, Row>> {
    const rows =
      ids.length === 1
        ? await this.run<Row>(`SELECT * FROM ${this.table} WHERE "id" = $1`, ids)
        : await this.run<Row>(`SELECT * FROM ${this.table} WHERE "id" = ANY($1::text[])`, [ids]);
    return new Map(rows.map((row) => [String(row.id), row]));
  }

  async findByIds(ids: string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const byId = await this.rowsById(unique);
    // Callers batch-load for getMany: give them the order they asked for.
    return unique.flatMap((id) => (byId.has(id) ? [this.toDocument(byId.get(id) as Row)] : []));
  }

  async find(options: FindOptions = {}): Promise<T[]> {
    const bind = new BindList(this.entity);
    const where = whereClause(this.entity, options.query, bind);
    const order = orderClause(this.entity, options.sort);
    const { limit, offset } = normalizePaging(options.limit, options.offset);
    const paging = `${limit !== undefined ? `LIMIT ${bind.raw(limit)}` : ""} ${offset > 0 ? `OFFSET ${bind.raw(offset)}` : ""}`;
    const rows = await this.run<Row>(`SELECT * FROM ${this.table} ${where} ${order} ${paging}`, bind.values);
    return rows.map((row) => this.toDocument(row));
  }

  async findOne(query: StoreQuery, sort?: string[]): Promise<T | null> {
    const [doc] = await this.find({ query, sort, limit: 1 });
    return doc ?? null;
  }

  async count(query?: StoreQuery): Promise<number> {
    const bind = new BindList(this.entity);
    const rows = await this.run<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.table} ${whereClause(this.entity, query, bind)}`,
      bind.values,
    );
    return Number(rows[0].n);
  }

  async updateById(id: string, patch: DocumentPatch<T>): Promise<T | null> {
    const bind = new BindList(this.entity);
    const sets = this.setClause(patch as PlainDocument, bind);
    const rows = await this.run<Row>(
      `UPDATE ${this.table} SET ${sets} WHERE "id" = ${bind.raw(id)} RETURNING *`,
      bind.values,
    );
    return rows.length > 0 ? this.toDocument(rows[0]) : null;
  }

  async updateMany(query: StoreQuery, patch: DocumentPatch<T>): Promise<number> {
    const bind = new BindList(this.entity);
    const sets = this.setClause(patch as PlainDocument, bind);
    const where = whereClause(this.entity, query, bind);
    const rows = await this.run<{ n: string }>(
      `WITH changed AS (UPDATE ${this.table} SET ${sets} ${where} RETURNING 1) SELECT count(*) AS n FROM changed`,
      bind.values,
    );
    return Number(rows[0].n);
  }

  async removeById(id: string): Promise<T | null> {
    const rows = await this.run<Row>(`DELETE FROM ${this.table} WHERE "id" = $1 RETURNING *`, [id]);
    return rows.length > 0 ? this.toDocument(rows[0]) : null;
  }

  async removeMany(query: StoreQuery): Promise<number> {
    const bind = new BindList(this.entity);
    const where = whereClause(this.entity, query, bind);
    const rows = await this.run<{ n: string }>(
      `WITH gone AS (DELETE FROM ${this.table} ${where} RETURNING 1) SELECT count(*) AS n FROM gone`,
      bind.values,
    );
    return Number(rows[0].n);
  }

  async increment(id: string, field: keyof T & string, by = 1): Promise<T | null> {
    assertNumericField(this.entity, field);
    const column = columnOf(field);
    // One UPDATE: the row lock makes concurrent increments add up, no read-modify-write.
    const rows = await this.run<Row>(
      `UPDATE ${this.table} SET ${column} = COALESCE(${column}, 0) + $1, "updated_at" = $2 WHERE "id" = $3 RETURNING *`,
      [by, new Date(), id],
    );
    return rows.length > 0 ? this.toDocument(rows[0]) : null;
  }

  private async insertRows(docs: NewDocument<T>[], conflict: string): Promise<Row[]> {
    const now = new Date();
    const bind = new BindList(this.entity);
    const columns = this.fields.map(columnOf).join(", ");
    const tuples = docs.map((input) => {
      const doc = prepareInsert(this.entity, input as PlainDocument, now);
      return `(${this.fields.map((field) => bind.add(field, doc[field])).join(", ")})`;
    });
    return this.run<Row>(
      `INSERT INTO ${this.table} (${columns}) VALUES ${tuples.join(", ")} ${conflict} RETURNING *`,
      bind.values,
    );
  }

  /** Constraint violations are the caller's fault (4xx), not a crash (500). */
  private async run<R>(sql: string, bind: unknown[]): Promise<R[]> {
    try {
      return await this.db.run<R>(sql, bind);
    } catch (err) {
      throw translateConstraintError(err, this.entity.table);
    }
  }

  private setClause(patch: PlainDocument, bind: BindList): string {
    const values = preparePatch(this.entity, patch);
    const sets = Object.entries(values).map(([field, value]) => `${columnOf(field)} = ${bind.add(field, value)}`);
    sets.push(`"updated_at" = ${bind.raw(new Date())}`);
    return sets.join(", ");
  }

  /** Row -> plain document with camelCase fields and JS types (int8 and numeric come back as strings from pg). */
  private toDocument(row: Row): T {
    const doc: PlainDocument = {};
    for (const { field, column, numeric, date } of this.readers) {
      let value = row[column];
      if (value === undefined) value = null;
      if (value !== null && numeric && typeof value === "string") value = Number(value);
      if (value !== null && date && !(value instanceof Date)) value = new Date(value as string);
      doc[field] = value;
    }
    return doc as T;
  }
}

/** A row whose dates and JSON values are its own (toDocument passes them on as they are). */
function copyRow(row: Row): Row {
  const copy: Row = {};
  for (const column in row) {
    const value = row[column];
    copy[column] =
      value instanceof Date
        ? new Date(value.getTime())
        : typeof value === "object" && value !== null
          ? structuredClone(value)
          : value;
  }
  return copy;
}

/** Postgres SQLSTATE (sequelize keeps the pg error as `original`/`parent`). */
function sqlState(err: unknown): string | undefined {
  const e = err as { original?: { code?: string }; parent?: { code?: string }; code?: string };
  return e?.original?.code ?? e?.parent?.code ?? (typeof e?.code === "string" ? e.code : undefined);
}

export function translateConstraintError(err: unknown, table: string): unknown {
  const detail = (err as { original?: { detail?: string; column?: string } })?.original;
  switch (sqlState(err)) {
    case "23505":
      return new ConflictError(`${table}: a document with this id or unique key already exists`);
    case "23503":
      return new ConflictError(`${table}: a referenced document does not exist or is still referenced`);
    case "23502":
      return new ValidationError(
        `${table}: a required field is missing`,
        detail?.column ? [{ field: detail.column, message: "required" }] : undefined,
      );
    case "23514":
    case "22001":
    case "22P02":
    case "22003":
      return new ValidationError(`${table}: a value is not allowed (${(err as Error).message})`);
    default:
      return err;
  }
}
