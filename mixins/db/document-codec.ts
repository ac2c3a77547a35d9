/**
 * Validation and coercion of documents against an entity definition, shared
 * by every backend so they accept and return exactly the same shapes.
 */
import { randomUUID } from "node:crypto";
import { ValidationError } from "../../lib/errors";
import type { EntityDefinition, FieldDef } from "./entity";

export type PlainDocument = Record<string, unknown>;

export function isDateField(entity: EntityDefinition, field: string): boolean {
  return field === "createdAt" || field === "updatedAt" || entity.fields[field]?.type === "date";
}

/** Known field (declared or implicit), else a 400: a typo must not silently match everything. */
export function fieldDef(entity: EntityDefinition, field: string): FieldDef {
  if (field === "id") return { type: "string" };
  if (field === "createdAt" || field === "updatedAt") return { type: "date" };
  const def = entity.fields[field];
  if (!def)
    throw new ValidationError(`Unknown field "${field}" on ${entity.table}`, [{ field, message: "unknown field" }]);
  return def;
}

/** Converts one value to the field's type, or throws a 400 naming the field. */
export function coerceValue(entity: EntityDefinition, field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const def = fieldDef(entity, field);
  const bad = (): never => {
    throw new ValidationError(`Field "${field}" must be of type ${def.type}`, [
      { field, message: `expected ${def.type}` },
    ]);
  };
  switch (def.type) {
    case "string":
    case "text":
      return typeof value === "string" ? value : bad();
    case "integer":
    case "bigint":
      return typeof value === "number" && Number.isInteger(value) ? value : bad();
    case "float":
      return typeof value === "number" && Number.isFinite(value) ? value : bad();
    case "boolean":
      return typeof value === "boolean" ? value : bad();
    case "date": {
      const date =
        value instanceof Date
          ? value
          : typeof value === "string" || typeof value === "number"
            ? new Date(value)
            : bad();
      return Number.isNaN(date.getTime()) ? bad() : date;
    }
    case "json":
      return value;
  }
}

function resolveDefault(def: FieldDef): unknown {
  return typeof def.default === "function" ? (def.default as () => unknown)() : structuredCloneSafe(def.default);
}

function structuredCloneSafe(value: unknown): unknown {
  return value !== null && typeof value === "object" && !(value instanceof Date) ? structuredClone(value) : value;
}

/** A complete document ready to store: defaults applied, required checked, unknown keys refused. */
export function prepareInsert(entity: EntityDefinition, input: PlainDocument, now: Date): PlainDocument {
  for (const key of Object.keys(input)) fieldDef(entity, key);
  const doc: PlainDocument = {
    id: input.id ?? randomUUID(),
    createdAt: input.createdAt ? coerceValue(entity, "createdAt", input.createdAt) : now,
    updatedAt: input.updatedAt ? coerceValue(entity, "updatedAt", input.updatedAt) : now,
  };
  if (typeof doc.id !== "string" || doc.id.length === 0)
    throw new ValidationError("id must be a non-empty string", [{ field: "id", message: "expected string" }]);
  for (const [field, def] of Object.entries(entity.fields)) {
    let value = input[field];
    if (value === undefined && def.default !== undefined) value = resolveDefault(def);
    if ((value === undefined || value === null) && def.required) {
      throw new ValidationError(`Field "${field}" is required`, [{ field, message: "required" }]);
    }
    // undefined stays undefined: the SQL store writes DEFAULT (the column's
    // default from the migration), the Mongo store leaves the key out.
    doc[field] = value === undefined ? undefined : coerceValue(entity, field, value);
  }
  return doc;
}

/** A patch with only declared, non-implicit fields; undefined keys are dropped. */
export function preparePatch(entity: EntityDefinition, patch: PlainDocument): PlainDocument {
  const out: PlainDocument = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (field === "id" || field === "createdAt" || field === "updatedAt") {
      throw new ValidationError(`Field "${field}" is managed by the store`, [{ field, message: "read-only" }]);
    }
    const def = fieldDef(entity, field);
    if (value === null && def.required)
      throw new ValidationError(`Field "${field}" is required`, [{ field, message: "required" }]);
    out[field] = coerceValue(entity, field, value);
  }
  return out;
}

/** Which fields `increment` may touch. */
export function assertNumericField(entity: EntityDefinition, field: string): void {
  const type = fieldDef(entity, field).type;
  if (type !== "integer" && type !== "bigint" && type !== "float") {
    throw new ValidationError(`Field "${field}" is not numeric`, [{ field, message: "not numeric" }]);
  }
}

export function normalizeSort(
  entity: EntityDefinition,
  sort: string[] | undefined,
): { field: string; desc: boolean }[] {
  return (sort ?? []).map((entry) => {
    const desc = entry.startsWith("-");
    const field = desc ? entry.slice(1) : entry;
    fieldDef(entity, field);
    return { field, desc };
  });
}

export function normalizePaging(
  limit: number | undefined,
  offset: number | undefined,
): { limit?: number; offset: number } {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw new ValidationError("limit must be a non-negative integer");
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0))
    throw new ValidationError("offset must be a non-negative integer");
  return { limit, offset: offset ?? 0 };
}
