import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig } from "../../../../lib/config";
import { createTempDir } from "../../../helpers/infra";

describe("loadConfig", () => {
  it("gives embedded defaults on a bare environment and persists generated secrets", async () => {
    const dir = createTempDir();
    const first = await loadConfig({ DATA_DIR: dir.path });
    expect(first.mode).toBe("embedded");
    expect(first.transporter).toBeUndefined();
    expect(first.database.url).toBeUndefined();
    expect(first.api.port).toBe(3000);
    // No proxy in front of a bare install: X-Forwarded-For is nobody's to believe.
    expect(first.api.trustedProxies).toEqual([]);
    expect(first.media.urlSecret.length).toBeGreaterThanOrEqual(32);
    expect(existsSync(join(dir.path, "secrets.json"))).toBe(true);
    const second = await loadConfig({ DATA_DIR: dir.path });
    expect(second.media.urlSecret).toBe(first.media.urlSecret);
    expect(second.auth.keyEncryptionSecret).toBe(first.auth.keyEncryptionSecret);
    dir.remove();
  });

  it("refuses production mode without secrets and lists every problem", async () => {
    const dir = createTempDir();
    await expect(loadConfig({ ARENA_MODE: "production", DATA_DIR: dir.path })).rejects.toThrow(ConfigError);
    const err = await loadConfig({ ARENA_MODE: "production", DATA_DIR: dir.path, API_PORT: "abc" }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join("\n");
    expect(problems).toMatch(/MEDIA_URL_SECRET/);
    expect(problems).toMatch(/IDENTITY_KEY_ENCRYPTION_SECRET/);
    expect(problems).toMatch(/API_PORT/);
    expect(existsSync(join(dir.path, "secrets.json"))).toBe(false);
    dir.remove();
  });

  it("rejects malformed values and symmetric JWT algorithms", async () => {
    const dir = createTempDir();
    await expect(loadConfig({ DATA_DIR: dir.path, TRANSPORTER: "not a url" })).rejects.toThrow(/TRANSPORTER/);
    await expect(loadConfig({ DATA_DIR: dir.path, JWT_ALGORITHMS: "HS256" })).rejects.toThrow(/JWT_ALGORITHMS/);
    await expect(loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: "loud" })).rejects.toThrow(/LOG_LEVEL/);
    dir.remove();
  });

  it("keeps the password hash cost at 2^15 unless a test run lowers it; production refuses a cheap one", async () => {
    const dir = createTempDir();
    expect((await loadConfig({ DATA_DIR: dir.path })).auth.passwordHashCost).toBe(15);
    expect((await loadConfig({ DATA_DIR: dir.path, PASSWORD_HASH_COST: "10" })).auth.passwordHashCost).toBe(10);
    await expect(loadConfig({ DATA_DIR: dir.path, PASSWORD_HASH_COST: "9" })).rejects.toThrow(/PASSWORD_HASH_COST/);
    const secrets = { MEDIA_URL_SECRET: "m".repeat(40), IDENTITY_KEY_ENCRYPTION_SECRET: "k".repeat(40) };
    const err = await loadConfig({
      ARENA_MODE: "production",
      DATA_DIR: dir.path,
      PASSWORD_HASH_COST: "12",
      ...secrets,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join("\n")).toMatch(/PASSWORD_HASH_COST below 15/);
    dir.remove();
  });

  describe("with Vault KV v2 (a local HTTP server speaking Vault's API)", () => {
    let server: Server;
    let addr: string;
    const seen: { path?: string; token?: string } = {};
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.path = req.url;
        seen.token = req.headers["x-vault-token"] as string;
        if (req.headers["x-vault-token"] !== "s.good") {
          res.writeHead(403).end(JSON.stringify({ errors: ["permission denied"] }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            data: {
              data: {
                MEDIA_URL_SECRET: "from-vault-media",
                IDENTITY_KEY_ENCRYPTION_SECRET: "from-vault-keys",
                API_PORT: "4100",
              },
              metadata: { version: 3 },
            },
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      addr = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("reads secrets from the KV path, env still overriding", async () => {
      const dir = createTempDir();
      const config = await loadConfig({
        ARENA_MODE: "production",
        DATA_DIR: dir.path,
        VAULT_ADDR: addr,
        VAULT_TOKEN: "s.good",
        API_PORT: "4200",
      });
      expect(seen.path).toBe("/v1/secret/data/arena");
      expect(config.media.urlSecret).toBe("from-vault-media");
      expect(config.auth.keyEncryptionSecret).toBe("from-vault-keys");
      expect(config.api.port).toBe(4200);
      expect(existsSync(join(dir.path, "secrets.json"))).toBe(false);
      dir.remove();
    });

    it("fails boot when Vault refuses the token", async () => {
      await expect(loadConfig({ VAULT_ADDR: addr, VAULT_TOKEN: "s.bad" })).rejects.toThrow(/403/);
      await expect(loadConfig({ VAULT_ADDR: addr })).rejects.toThrow(/VAULT_TOKEN/);
    });
  });

  it("never writes secrets readable by others", async () => {
    const dir = createTempDir();
    await loadConfig({ DATA_DIR: dir.path });
    const mode = (await import("node:fs")).statSync(join(dir.path, "secrets.json")).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir.path, "secrets.json"), "utf8")).MEDIA_URL_SECRET).toBeDefined();
    dir.remove();
  });
});
