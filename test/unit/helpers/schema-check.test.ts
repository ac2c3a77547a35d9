import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { EntityDefinition } from "../../../mixins/db/entity";
import { schemaProblems, type ColumnInfo } from "../../helpers/schema-check";

const column = (name: string, dataType: string, nullable = true, hasDefault = false): ColumnInfo => ({
  table: "things",
  column: name,
  dataType,
  nullable,
  hasDefault,
});
const implicit = [
  column("id", "text", false),
  column("created_at", "timestamp with time zone", false, true),
  column("updated_at", "timestamp with time zone", false, true),
];
const entity: EntityDefinition = {
  table: "things",
  kind: "relational",
  fields: {
    ownerId: { type: "string", required: true },
    viewCount: { type: "integer", default: 0 },
    seenAt: { type: "date" },
  },
};
const matching = [
  ...implicit,
  column("owner_id", "text", false),
  column("view_count", "integer", false, true),
  column("seen_at", "timestamp with time zone"),
];

describe("schema drift check (the comparison the per-service schema tests run)", () => {
  it("passes a field map that matches its table", () => {
    expect(schemaProblems("things", entity, matching)).toEqual([]);
  });

  it("reports a field without a column and a column without a field", () => {
    const columns = [...matching.filter((c) => c.column !== "seen_at"), column("extra_col", "text")];
    expect(schemaProblems("things", entity, columns)).toEqual([
      "things.seenAt: no column things.seen_at",
      "things: column things.extra_col has no field in the map",
    ]);
  });

  it("reports a type mismatch and a required field on a nullable column", () => {
    const columns = matching.map((c) =>
      c.column === "view_count"
        ? column("view_count", "bigint", false, true)
        : c.column === "owner_id"
          ? column("owner_id", "text", true)
          : c,
    );
    expect(schemaProblems("things", entity, columns)).toEqual([
      "things.ownerId: required, but the column is nullable",
      "things.viewCount: field type integer needs integer, column is bigint",
    ]);
  });

  it("reports a NOT NULL column the map may leave empty, and a missing table", () => {
    const columns = matching.map((c) =>
      c.column === "seen_at" ? column("seen_at", "timestamp with time zone", false) : c,
    );
    expect(schemaProblems("things", entity, columns)).toEqual([
      "things.seenAt: column is NOT NULL without a default; mark the field required or give it one",
    ]);
    expect(schemaProblems("things", entity, [])).toEqual(["things: table things does not exist after the migrations"]);
  });
});

describe("every service with a table has a schema test", () => {
  it("finds test/integration/<context>/<service>/<service>.schema.test.ts for each services/<context>/<service>/migrations", () => {
    const root = join(__dirname, "../../..");
    const missing: string[] = [];
    for (const context of readdirSync(join(root, "services"))) {
      const contextDir = join(root, "services", context);
      if (!statSync(contextDir).isDirectory()) continue;
      for (const service of readdirSync(contextDir)) {
        if (!existsSync(join(contextDir, service, "migrations"))) continue;
        const spec = `test/integration/${context}/${service}/${service}.schema.test.ts`;
        if (!existsSync(join(root, spec)))
          missing.push(
            `services/${context}/${service} has migrations but no ${spec}: add one calling describeEntitySchema(<its DbMixinOptions>) from test/helpers/schema-check`,
          );
      }
    }
    expect(missing).toEqual([]);
  });
});
