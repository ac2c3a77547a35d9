/**
 * Reads a migration set from disk: `NNN_description.sql` files, numeric order,
 * each with a checksum so an edited, already-applied file is caught at boot.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MigrationSet } from "./entity";

export interface MigrationFile {
  setName: string;
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

const FILE_NAME = /^(\d{3,})_([A-Za-z0-9_-]+)\.sql$/;

export function checksumOf(sql: string): string {
  // Line endings do not change meaning; a checkout on Windows must not fail boot.
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

export function readMigrationSet(set: MigrationSet): MigrationFile[] {
  let entries: string[];
  try {
    entries = readdirSync(set.dir);
  } catch (err) {
    throw new MigrationError(`Migration set "${set.name}": cannot read ${set.dir}: ${(err as Error).message}`);
  }
  const files: MigrationFile[] = [];
  for (const entry of entries) {
    if (!entry.endsWith(".sql")) continue;
    const match = FILE_NAME.exec(entry);
    if (!match) throw new MigrationError(`Migration set "${set.name}": ${entry} is not named NNN_description.sql`);
    const sql = readFileSync(join(set.dir, entry), "utf8");
    files.push({ setName: set.name, version: Number(match[1]), name: match[2], sql, checksum: checksumOf(sql) });
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i++) {
    if (files[i].version === files[i - 1].version) {
      throw new MigrationError(`Migration set "${set.name}": two files with version ${files[i].version}`);
    }
  }
  return files;
}

export interface AppliedRecord {
  setName: string;
  version: number;
  name: string;
  checksum: string;
}

/**
 * What to run, given what the database says was applied. Refuses a file that
 * changed after being applied and an applied migration whose file is gone:
 * both mean the schema no longer matches the code.
 */
export function planMigrations(files: MigrationFile[], applied: AppliedRecord[]): MigrationFile[] {
  const onDisk = new Map(files.map((f) => [`${f.setName}:${f.version}`, f]));
  const done = new Set<string>();
  for (const record of applied) {
    const key = `${record.setName}:${record.version}`;
    done.add(key);
    const file = onDisk.get(key);
    if (!file) {
      throw new MigrationError(
        `Migration ${record.setName}/${String(record.version).padStart(3, "0")}_${record.name} was applied but its file is missing`,
      );
    }
    if (file.checksum !== record.checksum) {
      throw new MigrationError(
        `Migration ${file.setName}/${String(file.version).padStart(3, "0")}_${file.name}.sql changed after it was applied ` +
          `(checksum ${record.checksum.slice(0, 12)} in database, ${file.checksum.slice(0, 12)} on disk). ` +
          `Never edit an applied migration: add a new numbered file instead.`,
      );
    }
  }
  return files.filter((f) => !done.has(`${f.setName}:${f.version}`));
}
