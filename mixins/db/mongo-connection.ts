/**
 * One mongoose connection per MONGO_URI in the process, refcounted like the
 * embedded Postgres so a stopping service does not close it for the others.
 */
import mongoose, { type Connection } from "mongoose";

export interface MongoLease {
  connection: Connection;
  release(): Promise<void>;
}

interface Entry {
  refs: number;
  opening: Promise<Connection>;
}

const connections = new Map<string, Entry>();

export async function acquireMongo(uri: string): Promise<MongoLease> {
  let entry = connections.get(uri);
  if (!entry) {
    // The driver reconnects by itself after a server restart; buffering off
    // so a write during an outage fails fast instead of hanging a request.
    entry = {
      refs: 0,
      opening: mongoose.createConnection(uri, { bufferCommands: false, serverSelectionTimeoutMS: 10000 }).asPromise(),
    };
    connections.set(uri, entry);
  }
  entry.refs++;
  const current = entry;
  let connection: Connection;
  try {
    connection = await current.opening;
  } catch (err) {
    current.refs--;
    if (connections.get(uri) === current) connections.delete(uri);
    throw err;
  }
  let released = false;
  return {
    connection,
    async release() {
      if (released) return;
      released = true;
      current.refs--;
      if (current.refs > 0) return;
      connections.delete(uri);
      await connection.close();
    },
  };
}
