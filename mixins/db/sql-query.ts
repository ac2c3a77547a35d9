/**
 * Turns store queries into parameterised PostgreSQL. Column names come from
 * the entity definition (quoted identifiers), values always go through bind
 * parameters, so nothing a client sends is ever spliced into SQL.
 */
import { ValidationError } from "../../lib/errors";
import type { EntityDefinition, FieldType } from "./entity";
import { columnName } from "./entity";
import { coerceValue, fieldDef, normalizeSort } from "./document-codec";
import type { StoreQuery } from "./entity-store";

const OPERATORS = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" } as const;
const KNOWN_OPERATORS = new Set(["$in", "$ne", "$gt", "$gte", "$lt", "$lte", "$contains"]);

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export function columnOf(field: string): string {
  return quoteIdent(columnName(field));
}

/** Collects bind values and hands out `$n` placeholders. */
export class BindList {
  readonly values: unknown[] = [];
  constructor(private readonly entity: EntityDefinition) {}

  /** Placeholder for a field value, encoded the way the column expects. */
  add(field: string, value: unknown): string {
    const def = fieldDef(this.entity, field);
    if (value === undefined) return "DEFAULT";
    // SQL NULL, not the JSON value null: `{ field: null }` must find it.
    if (value === null) return this.raw(null);
    if (def.type === "json") {
      this.values.push(JSON.stringify(value));
      return `$${this.values.length}::jsonb`;
    }
    this.values.push(value);
    return `$${this.values.length}`;
  }

  raw(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || value instanceof Date || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

function fieldCondition(entity: EntityDefinition, field: string, value: unknown, bind: BindList): string[] {
  const column = columnOf(field);
  if (!isOperatorObject(value)) {
    if (value === null) return [`${column} IS NULL`];
    return [`${column} = ${bind.add(field, coerceValue(entity, field, value))}`];
  }
  const parts: string[] = [];
  for (const [op, operand] of Object.entries(value)) {
    if (!KNOWN_OPERATORS.has(op))
      throw new ValidationError(`Unsupported operator ${op} on "${field}"`, [
        { field, message: `unsupported operator ${op}` },
      ]);
    if (op === "$in") {
      if (!Array.isArray(operand))
        throw new ValidationError(`$in on "${field}" needs an array`, [{ field, message: "$in needs an array" }]);
      if (operand.length === 0) {
        parts.push("FALSE");
        continue;
      }
      const nonNull = operand.filter((v) => v !== null).map((v) => coerceValue(entity, field, v));
      const inSql = nonNull.length > 0 ? inList(entity, field, column, nonNull, bind) : "";
      const nullSql = nonNull.length < operand.length ? `${column} IS NULL` : "";
      parts.push(inSql && nullSql ? `(${inSql} OR ${nullSql})` : inSql || nullSql);
    } else if (op === "$contains") {
      parts.push(`${column} @> ${bind.raw(JSON.stringify([containedElement(entity, field, operand)]))}::jsonb`);
    } else if (op === "$ne") {
      parts.push(
        operand === null
          ? `${column} IS NOT NULL`
          : `${column} IS DISTINCT FROM ${bind.add(field, coerceValue(entity, field, operand))}`,
      );
    } else {
      if (operand === null || operand === undefined)
        throw new ValidationError(`${op} on "${field}" needs a value`, [{ field, message: `${op} needs a value` }]);
      parts.push(
        `${column} ${OPERATORS[op as keyof typeof OPERATORS]} ${bind.add(field, coerceValue(entity, field, operand))}`,
      );
    }
  }
  return parts;
}

/** The element `$contains` looks for: a scalar, on a json field (the only kind that holds arrays). */
export function containedElement(entity: EntityDefinition, field: string, operand: unknown): string | number | boolean {
  if (fieldDef(entity, field).type !== "json")
    throw new ValidationError(`$contains on "${field}" needs a json field`, [
      { field, message: "$contains needs a json field" },
    ]);
  if (typeof operand !== "string" && typeof operand !== "number" && typeof operand !== "boolean")
    throw new ValidationError(`$contains on "${field}" needs a string, number or boolean`, [
      { field, message: "$contains needs a scalar" },
    ]);
  return operand;
}

const ARRAY_TYPES: Partial<Record<FieldType, string>> = {
  string: "text",
  text: "text",
  integer: "integer",
  bigint: "bigint",
  float: "float8",
  boolean: "boolean",
  date: "timestamptz",
};

/**
 * `= ANY($n::type[])`: one bind parameter whatever the list length (an IN
 * list of 70k ids would exceed the 65535-parameter limit). Json values have
 * no array form: they get an IN list.
 */
function inList(entity: EntityDefinition, field: string, column: string, values: unknown[], bind: BindList): string {
  const arrayType = ARRAY_TYPES[fieldDef(entity, field).type];
  if (arrayType) return `${column} = ANY(${bind.raw(values)}::${arrayType}[])`;
  return `${column} IN (${values.map((v) => bind.add(field, v)).join(", ")})`;
}

/** `WHERE ...` (or empty) for a store query. */
export function whereClause(entity: EntityDefinition, query: StoreQuery | undefined, bind: BindList): string {
  const parts: string[] = [];
  for (const [field, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    fieldDef(entity, field);
    parts.push(...fieldCondition(entity, field, value, bind));
  }
  return parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "";
}

export function orderClause(entity: EntityDefinition, sort: string[] | undefined): string {
  const entries = normalizeSort(entity, sort);
  if (entries.length === 0) return "";
  return `ORDER BY ${entries.map((e) => `${columnOf(e.field)} ${e.desc ? "DESC" : "ASC"}`).join(", ")}`;
}
