import { checksumOf, MigrationError, planMigrations, type MigrationFile } from "../../../../mixins/db/migration-files";

const file = (version: number, sql: string, setName = "core"): MigrationFile => ({
  setName,
  version,
  name: `m${version}`,
  sql,
  checksum: checksumOf(sql),
});

describe("planMigrations", () => {
  const files = [file(1, "CREATE TABLE a ();"), file(2, "CREATE TABLE b ();"), file(3, "CREATE TABLE c ();")];

  it("returns the files not yet applied, in order", () => {
    const applied = [{ setName: "core", version: 1, name: "m1", checksum: files[0].checksum }];
    expect(planMigrations(files, applied).map((f) => f.version)).toEqual([2, 3]);
    expect(planMigrations(files, [])).toHaveLength(3);
  });

  it("keys by set: the same version in another set is a different migration", () => {
    const applied = [{ setName: "outbox", version: 1, name: "m1", checksum: "x" }];
    expect(() => planMigrations(files, applied)).toThrow(MigrationError);
    expect(
      planMigrations(
        [...files, file(1, "CREATE TABLE o ();", "outbox")],
        [{ setName: "outbox", version: 1, name: "m1", checksum: checksumOf("CREATE TABLE o ();") }],
      ),
    ).toHaveLength(3);
  });

  it("refuses an applied file whose content changed", () => {
    const applied = [{ setName: "core", version: 2, name: "m2", checksum: checksumOf("CREATE TABLE b (x int);") }];
    expect(() => planMigrations(files, applied)).toThrow(/core\/002_m2\.sql changed after it was applied/);
  });

  it("ignores line-ending differences in the checksum", () => {
    expect(checksumOf("a;\r\nb;")).toBe(checksumOf("a;\nb;"));
    expect(checksumOf("a;\nb;")).not.toBe(checksumOf("a;\nc;"));
  });
});
