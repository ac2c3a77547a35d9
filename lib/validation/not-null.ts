import { ValidationError } from "../errors";

/**
 * fastest-validator lets `null` through an optional field (its `optional` means "undefined or null"), so a
 * PATCH body with `null` where a value belongs reaches the handler: it crashed string code (a 500) or met
 * the table's NOT NULL (a 400 naming the table). An update calls this with the fields that have no "none".
 */
export function rejectNulls(params: object, fields: readonly string[]): void {
  const given = params as Record<string, unknown>;
  const nulls = fields.filter((field) => given[field] === null);
  if (nulls.length === 0) return;
  throw new ValidationError(
    `${nulls.join(", ")} cannot be null`,
    nulls.map((field) => ({ field, message: "cannot be null (leave it out to keep the current value)" })),
  );
}
