/**
 * Each service describes an entity three times: the SQL migration, the
 * DbMixin field map and the TypeScript document interface. The typecheck
 * ties the field map to the interface (`entity<Doc>()` in mixins/db); this
 * ties the field map to the table the migrations really create, so the
 * three cannot drift apart.
 *
 *   describeEntitySchema(CHANNELS_DB);   // in test/integration/<context>/<service>/<name>.schema.test.ts
 */
import { QueryTypes } from "sequelize";
import { acquireSql, type SqlLease } from "../../mixins/db/sql-connection";
import { SqlDb } from "../../mixins/db/sql-db";
import { migrate } from "../../mixins/db/migrator";
import { columnName, type DbMixinOptions, type EntityDefinition, type FieldType } from "../../mixins/db/entity";
import { createTestDatabase, testConfig, type TestDatabase } from "./infra";

export interface ColumnInfo {
  table: string;
  column: string;
  /** information_schema data_type, e.g. "text", "timestamp with time zone". */
  dataType: string;
  nullable: boolean;
  hasDefault: boolean;
}

/** The PostgreSQL type each field type is stored as. */
export const SQL_TYPE_OF: Record<FieldType, string> = {
  string: "text",
  text: "text",
  integer: "integer",
  bigint: "bigint",
  boolean: "boolean",
  date: "timestamp with time zone",
  json: "jsonb",
  float: "double precision",
};

const IMPLICIT_COLUMNS: Record<string, string> = {
  id: "text",
  created_at: "timestamp with time zone",
  updated_at: "timestamp with time zone",
};

/** Every way an entity's field map disagrees with its table; empty when they match. */
export function schemaProblems(
  name: string,
  entity: EntityDefinition,
  columns: ColumnInfo[],
  sqlOnlyColumns: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const own = new Map(columns.filter((c) => c.table === entity.table).map((c) => [c.column, c]));
  if (own.size === 0) return [`${name}: table ${entity.table} does not exist after the migrations`];
  for (const [column, type] of Object.entries(IMPLICIT_COLUMNS)) {
    const found = own.get(column);
    if (!found) problems.push(`${name}: implicit column ${entity.table}.${column} is missing`);
    else if (found.dataType !== type)
      problems.push(`${name}: ${entity.table}.${column} is ${found.dataType}, not ${type}`);
  }
  const declared = new Set([...Object.keys(IMPLICIT_COLUMNS), ...sqlOnlyColumns]);
  for (const [field, def] of Object.entries(entity.fields)) {
    const column = columnName(field);
    declared.add(column);
    const found = own.get(column);
    if (!found) {
      problems.push(`${name}.${field}: no column ${entity.table}.${column}`);
      continue;
    }
    const expected = SQL_TYPE_OF[def.type];
    if (found.dataType !== expected)
      problems.push(`${name}.${field}: field type ${def.type} needs ${expected}, column is ${found.dataType}`);
    if (def.required && found.nullable) problems.push(`${name}.${field}: required, but the column is nullable`);
    if (!found.nullable && !found.hasDefault && !def.required && def.default === undefined)
      problems.push(`${name}.${field}: column is NOT NULL without a default; mark the field required or give it one`);
  }
  for (const column of own.keys())
    if (!declared.has(column)) problems.push(`${name}: column ${entity.table}.${column} has no field in the map`);
  return problems;
}

/**
 * Columns a service reads and writes only through its own SQL (search's
 * tsvectors, say), by table: they have no field in the map on purpose.
 */
export type SqlOnlyColumns = Readonly<Record<string, readonly string[]>>;

/** Applies the service's migrations to a fresh database and checks every entity against its table. */
export function describeEntitySchema(options: DbMixinOptions, sqlOnly: SqlOnlyColumns = {}): void {
  describe(`${options.schema}: field maps match the migrated tables`, () => {
    let database: TestDatabase;
    let lease: SqlLease;
    let columns: ColumnInfo[] = [];

    beforeAll(async () => {
      database = await createTestDatabase("arena_schema");
      const config = await testConfig({ DATABASE_URL: database.url });
      lease = await acquireSql(config, `schema-${options.schema}`, options.schema);
      await migrate(new SqlDb(lease.sequelize, options.schema, lease.searchPathOnConnection), options.migrations);
      const rows = await lease.sequelize.query<{
        table_name: string;
        column_name: string;
        data_type: string;
        is_nullable: string;
        column_default: string | null;
      }>(
        `SELECT table_name, column_name, data_type, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = $1`,
        { bind: [options.schema], type: QueryTypes.SELECT },
      );
      columns = rows.map((r) => ({
        table: r.table_name,
        column: r.column_name,
        dataType: r.data_type,
        nullable: r.is_nullable === "YES",
        hasDefault: r.column_default !== null,
      }));
    });

    afterAll(async () => {
      await lease?.release();
      await database?.drop();
    });

    it.each(Object.entries(options.entities))("%s", (name, entity) => {
      expect(schemaProblems(name, entity, columns, sqlOnly[entity.table])).toEqual([]);
    });
  });
}
