/**
 * The baseline: a plain node:http server answering the same bytes the blog
 * serves (a post's JSON, a feed's XML) from memory, with the same headers,
 * no framework, no routing, no auth, no database.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

interface Body {
  path: string;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

process.on("message", (msg: { bodies: Body[] }) => {
  const byPath = new Map(msg.bodies.map((b) => [b.path, b]));
  const server = createServer((req, res) => {
    const found = byPath.get((req.url ?? "").split("?")[0] ?? "");
    if (!found) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader("Content-Type", found.contentType);
    for (const [k, v] of Object.entries(found.headers ?? {})) res.setHeader(k, v);
    res.end(found.body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
});
