/**
 * Opens the in-process adapter's delivery store on the node's SQL database
 * (the embedded PGlite in DATA_DIR, or DATABASE_URL) in its own schema.
 */
import type { LoggerInstance, Service, ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../lib/config";
import { migrate } from "../db/migrator";
import { acquireSql } from "../db/sql-connection";
import { SqlDb } from "../db/sql-db";
import { DELIVERY_MIGRATIONS, DELIVERY_STORE_SCHEMA, SqlDeliveryStore } from "./delivery-store";
import { isOutboxDb } from "./outbox-store";
import type { DurableEventsTuning } from "./tuning";

export interface OpenedDeliveryStore {
  store: SqlDeliveryStore;
  release(): Promise<void>;
}

/**
 * "auto": durable when a local service has a database (its data, and so its
 * events, must survive a crash); DB-less brokers (unit tests, an edge-only
 * node) keep memory queues and need no database at all.
 */
export function wantsDeliveryStore(broker: ServiceBroker, tuning: DurableEventsTuning): boolean {
  if (tuning.inProcessStore !== "auto") return tuning.inProcessStore === "sql";
  return broker.services.some((svc: Service) => isOutboxDb((svc as { db?: unknown }).db));
}

export async function openDeliveryStore(config: ArenaConfig, logger: LoggerInstance): Promise<OpenedDeliveryStore> {
  const lease = await acquireSql(config, "durable-events", DELIVERY_STORE_SCHEMA);
  try {
    const db = new SqlDb(lease.sequelize, DELIVERY_STORE_SCHEMA, lease.searchPathOnConnection);
    await migrate(db, [DELIVERY_MIGRATIONS], logger);
    return { store: new SqlDeliveryStore(db), release: () => lease.release() };
  } catch (err) {
    await lease.release();
    throw err;
  }
}
