/**
 * EntityStore over MongoDB (mongoose) for `kind: "document"` entities when
 * MONGO_URI is set. `_id` holds the string id; timestamps are set by the
 * store (not mongoose) so every backend stamps documents the same way.
 * Writes here do not join `this.db.transaction` (that is a SQL transaction):
 * transactions are best-effort for Mongo-backed stores.
 */
import { Schema, type Connection, type Model, type SchemaDefinition } from "mongoose";
import { ConflictError, ValidationError } from "../../lib/errors";
import type { BaseDocument, EntityDefinition, FieldType } from "./entity";
import type { DocumentPatch, EntityStore, FindOptions, NewDocument, StoreQuery } from "./entity-store";
import {
  assertNumericField,
  coerceValue,
  fieldDef,
  normalizePaging,
  normalizeSort,
  prepareInsert,
  preparePatch,
  type PlainDocument,
} from "./document-codec";
import { containedElement, isOperatorObject } from "./sql-query";

const MONGO_TYPES: Record<FieldType, unknown> = {
  string: String,
  text: String,
  integer: Number,
  bigint: Number,
  boolean: Boolean,
  date: Date,
  json: Schema.Types.Mixed,
  float: Number,
};

const KNOWN_OPERATORS = new Set(["$in", "$ne", "$gt", "$gte", "$lt", "$lte", "$contains"]);

/** The model of an entity on a connection (created once; names are per connection). */
export function mongoModelFor(connection: Connection, schemaName: string, entity: EntityDefinition): Model<unknown> {
  const modelName = `${schemaName}_${entity.table}`;
  if (connection.models[modelName]) return connection.models[modelName] as Model<unknown>;
  const definition: SchemaDefinition = { _id: { type: String, required: true }, createdAt: Date, updatedAt: Date };
  for (const [field, def] of Object.entries(entity.fields))
    definition[field] = { type: MONGO_TYPES[def.type] } as SchemaDefinition[string];
  const schema = new Schema(definition, {
    versionKey: false,
    minimize: false,
    strict: true,
    _id: false,
    autoIndex: false,
  });
  schema.index({ createdAt: -1 });
  for (const index of entity.indexes ?? []) schema.index(index.fields, { unique: index.unique ?? false });
  // "<schema>.<table>": services share one Mongo database, the prefix keeps
  // their collections apart the way Postgres schemas keep their tables apart.
  return connection.model(modelName, schema, `${schemaName}.${entity.table}`) as Model<unknown>;
}

function mongoField(field: string): string {
  return field === "id" ? "_id" : field;
}

export function toMongoFilter(entity: EntityDefinition, query: StoreQuery | undefined): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    fieldDef(entity, field);
    if (!isOperatorObject(value)) {
      filter[mongoField(field)] = value === null ? null : coerceValue(entity, field, value);
      continue;
    }
    const ops: Record<string, unknown> = {};
    for (const [op, operand] of Object.entries(value)) {
      if (!KNOWN_OPERATORS.has(op))
        throw new ValidationError(`Unsupported operator ${op} on "${field}"`, [
          { field, message: `unsupported operator ${op}` },
        ]);
      if (op === "$in") {
        if (!Array.isArray(operand))
          throw new ValidationError(`$in on "${field}" needs an array`, [{ field, message: "$in needs an array" }]);
        ops.$in = operand.map((v) => (v === null ? null : coerceValue(entity, field, v)));
      } else if (op === "$contains") {
        // An array field matches an element; $all keeps it an operator beside others on the field.
        ops.$all = [containedElement(entity, field, operand)];
      } else if (op === "$ne") {
        ops.$ne = operand === null ? null : coerceValue(entity, field, operand);
      } else {
        if (operand === null || operand === undefined)
          throw new ValidationError(`${op} on "${field}" needs a value`, [{ field, message: `${op} needs a value` }]);
        ops[op] = coerceValue(entity, field, operand);
      }
    }
    filter[mongoField(field)] = ops;
  }
  return filter;
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number })?.code === 11000;
}

export class MongoEntityStore<T extends BaseDocument> implements EntityStore<T> {
  private readonly fields: string[];

  constructor(
    private readonly model: () => Model<unknown>,
    private readonly entity: EntityDefinition,
  ) {
    this.fields = ["id", "createdAt", "updatedAt", ...Object.keys(entity.fields)];
  }

  async insert(doc: NewDocument<T>): Promise<T> {
    const [inserted] = await this.insertMany([doc]);
    return inserted;
  }

  async insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    if (docs.length === 0) return [];
    const now = new Date();
    const prepared = docs.map((doc) => this.toStored(prepareInsert(this.entity, doc as PlainDocument, now)));
    try {
      await this.model().collection.insertMany(prepared, { ordered: true });
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictError(`${this.entity.table}: a document with this id or unique key already exists`);
      throw err;
    }
    return prepared.map((stored) => this.toDocument(stored));
  }

  async insertIfAbsent(doc: NewDocument<T>): Promise<boolean> {
    const stored = this.toStored(prepareInsert(this.entity, doc as PlainDocument, new Date()));
    try {
      await this.model().collection.insertOne(stored);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findById(id: string): Promise<T | null> {
    const found = await this.model().findOne({ _id: id }).lean().exec();
    return found ? this.toDocument(found as PlainDocument) : null;
  }

  async findByIds(ids: string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const found = (await this.model()
      .find({ _id: { $in: unique } })
      .lean()
      .exec()) as PlainDocument[];
    const byId = new Map(found.map((doc) => [String(doc._id), doc]));
    return unique.flatMap((id) => (byId.has(id) ? [this.toDocument(byId.get(id) as PlainDocument)] : []));
  }

  async find(options: FindOptions = {}): Promise<T[]> {
    const { limit, offset } = normalizePaging(options.limit, options.offset);
    if (limit === 0) return [];
    let cursor = this.model()
      .find(toMongoFilter(this.entity, options.query))
      .sort(this.sortOf(options.sort))
      .skip(offset);
    if (limit !== undefined) cursor = cursor.limit(limit);
    const found = (await cursor.lean().exec()) as PlainDocument[];
    return found.map((doc) => this.toDocument(doc));
  }

  async findOne(query: StoreQuery, sort?: string[]): Promise<T | null> {
    const [doc] = await this.find({ query, sort, limit: 1 });
    return doc ?? null;
  }

  async count(query?: StoreQuery): Promise<number> {
    return this.model().countDocuments(toMongoFilter(this.entity, query)).exec();
  }

  async updateById(id: string, patch: DocumentPatch<T>): Promise<T | null> {
    const $set = { ...preparePatch(this.entity, patch as PlainDocument), updatedAt: new Date() };
    const updated = await this.model().findOneAndUpdate({ _id: id }, { $set }, { new: true }).lean().exec();
    return updated ? this.toDocument(updated as PlainDocument) : null;
  }

  async updateMany(query: StoreQuery, patch: DocumentPatch<T>): Promise<number> {
    const $set = { ...preparePatch(this.entity, patch as PlainDocument), updatedAt: new Date() };
    const result = await this.model().updateMany(toMongoFilter(this.entity, query), { $set }).exec();
    return result.matchedCount;
  }

  async removeById(id: string): Promise<T | null> {
    const removed = await this.model().findOneAndDelete({ _id: id }).lean().exec();
    return removed ? this.toDocument(removed as PlainDocument) : null;
  }

  async removeMany(query: StoreQuery): Promise<number> {
    const result = await this.model().deleteMany(toMongoFilter(this.entity, query)).exec();
    return result.deletedCount;
  }

  async increment(id: string, field: keyof T & string, by = 1): Promise<T | null> {
    assertNumericField(this.entity, field);
    const updated = await this.model()
      .findOneAndUpdate({ _id: id }, { $inc: { [field]: by }, $set: { updatedAt: new Date() } }, { new: true })
      .lean()
      .exec();
    return updated ? this.toDocument(updated as PlainDocument) : null;
  }

  private sortOf(sort: string[] | undefined): Record<string, 1 | -1> {
    const out: Record<string, 1 | -1> = {};
    for (const { field, desc } of normalizeSort(this.entity, sort)) out[mongoField(field)] = desc ? -1 : 1;
    return out;
  }

  private toStored(doc: PlainDocument): PlainDocument {
    const stored: PlainDocument = { _id: doc.id };
    // Absent optional fields stay absent (the SQL store lets the column default apply).
    for (const [key, value] of Object.entries(doc)) if (key !== "id" && value !== undefined) stored[key] = value;
    return stored;
  }

  private toDocument(stored: PlainDocument): T {
    const doc: PlainDocument = {};
    for (const field of this.fields) {
      const value = stored[mongoField(field)];
      doc[field] = value === undefined ? null : value;
    }
    return doc as T;
  }
}
