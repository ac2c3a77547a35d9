/**
 * The baselines of `npm run bench:rest`, in a process of their own: a plain
 * node:http server with no framework, answering
 * - /json/<name>: the exact bytes Arena answered for that path (from memory);
 * - /pg/channels/<id>: the same row read from PostgreSQL on a `pg` pool (10);
 * - /jwt/me: the same EdDSA bearer-token verification (jose, the JWKS Arena
 *   publishes), then the bytes of Arena's /me;
 * - /file/<name>: `stat` and `createReadStream` of the same media file.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { Pool } from "pg";

export interface BareSetup {
  bodies: Record<string, string>;
  jwks?: JSONWebKeySet;
  meBody?: string;
  pgUrl?: string;
  files?: Record<string, string>;
}

function start(setup: BareSetup): Promise<number> {
  const keys = setup.jwks ? createLocalJWKSet(setup.jwks) : undefined;
  const pool = setup.pgUrl ? new Pool({ connectionString: setup.pgUrl, max: 10 }) : undefined;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const json = (status: number, body: string): void => {
      res.statusCode = status;
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.end(body);
    };
    if (url.startsWith("/json/")) {
      const body = setup.bodies[url.slice(6)];
      return body === undefined ? json(404, "{}") : json(200, body);
    }
    if (url.startsWith("/pg/channels/") && pool) {
      pool
        .query("SELECT * FROM channels.channels WHERE id = $1", [url.slice(13)])
        .then(({ rows }) => {
          const c = rows[0] as Record<string, unknown> | undefined;
          if (!c) return json(404, "{}");
          const date = (d: unknown): string | null => (d ? new Date(d as string).toISOString() : null);
          json(
            200,
            JSON.stringify({
              id: c.id,
              ownerId: c.owner_id,
              slug: c.slug,
              title: c.title,
              category: c.category,
              tags: c.tags,
              language: c.language,
              mature: c.mature,
              isLive: c.is_live,
              liveSince: date(c.live_since),
              followerCount: c.follower_count,
              createdAt: date(c.created_at),
              updatedAt: date(c.updated_at),
            }),
          );
        })
        .catch(() => json(500, "{}"));
      return;
    }
    if (url === "/jwt/me" && keys) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const claims = decodeJwt(token);
      jwtVerify(token, keys, {
        algorithms: ["EdDSA"],
        issuer: claims.iss,
        audience: claims.aud as string,
        requiredClaims: ["exp", "sub"],
      })
        .then(() => json(200, setup.meBody ?? "{}"))
        .catch(() => json(401, "{}"));
      return;
    }
    if (url.startsWith("/file/")) {
      const file = setup.files?.[url.slice(6)];
      if (!file) return json(404, "{}");
      stat(file)
        .then((info) => {
          res.setHeader("Content-Type", "video/mp2t");
          res.setHeader("Content-Length", String(info.size));
          createReadStream(file).pipe(res);
        })
        .catch(() => json(404, "{}"));
      return;
    }
    json(404, "{}");
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

process.on("message", (msg: { setup: BareSetup }) => {
  start(msg.setup)
    .then((port) => process.send?.({ port }))
    .catch((err: unknown) => process.send?.({ error: String(err) }));
});
