/**
 * A PostgreSQL database of a benchmark run's own on the local server, so a
 * run never meets another's rows; dropped (with its connections) at the end.
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";

export const BENCH_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: BENCH_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Creates `arena_bench_<tag>_<random>`. */
export async function createBenchDatabase(tag: string): Promise<BenchDatabase> {
  const name = `arena_bench_${tag}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(BENCH_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
