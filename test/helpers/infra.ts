/**
 * Addresses of the real servers tests talk to, and per-run isolation so
 * parallel runs (and parallel developers) never share state.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { loadConfig, type ArenaConfig } from "../../lib/config";

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
export const AMQP_URL = process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
export const MONGO_URI = process.env.MONGO_URI;

/** Short random suffix for namespaces, key prefixes, stream and queue names. */
export function uniqueId(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database for one test file; drop() removes it. */
export async function createTestDatabase(prefix = "arena_test", adminUrl = PG_ADMIN_URL): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueId("")}`.toLowerCase();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TempDir {
  path: string;
  remove(): void;
}

/**
 * Registers a temp directory for removal when the test file ends (the test
 * environment does it, after every afterAll hook), so no spec can leave one in
 * /tmp, not even one that fails before its own cleanup runs.
 */
export function trackTempDir(path: string): string {
  (globalThis as { __arenaTempDirs?: string[] }).__arenaTempDirs?.push(path);
  return path;
}

export function createTempDir(prefix = "arena-"): TempDir {
  const path = trackTempDir(mkdtempSync(join(tmpdir(), prefix)));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A validated config for a test broker: embedded defaults plus overrides,
 * a private DATA_DIR and no metrics port (many brokers share one process).
 */
export async function testConfig(overrides: Record<string, string | undefined> = {}): Promise<ArenaConfig> {
  const dataDir = overrides.DATA_DIR ?? createTempDir().path;
  const env: Record<string, string | undefined> = {
    ARENA_MODE: "embedded",
    NAMESPACE: uniqueId("ns"),
    DATA_DIR: dataDir,
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    API_PORT: "0",
    REALTIME_PORT: "0",
    // The gateway serves the built web client at / when one exists; tests opt in with their own WEB_DIST_DIR.
    WEB_DIST_DIR: `${dataDir}/no-web-client`,
    ...overrides,
  };
  return loadConfig(env);
}

/** Polls until `check` returns a truthy value; no fixed sleeps in tests. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
  throw new Error(`Timed out waiting for ${opts.what ?? "condition"}${lastError ? `: ${String(lastError)}` : ""}`);
}
