/**
 * Loads the native uWebSockets.js binary directly. The package's own entry
 * silently falls back to a slow pure-JS implementation when the binary does
 * not match; a realtime node must fail at boot instead.
 */
import { dirname, join } from "node:path";
import type * as UwsModule from "uWebSockets.js";

export type Uws = typeof UwsModule;
export type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  us_listen_socket,
  us_socket_context_t,
  WebSocket,
} from "uWebSockets.js";

let loaded: Uws | undefined;

export function loadUws(): Uws {
  if (loaded) return loaded;
  const packageDir = dirname(require.resolve("uWebSockets.js/package.json"));
  const file = join(packageDir, "binaries", `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded = require(file) as Uws;
  return loaded;
}
