import type { AuthUser } from "../../../../lib/auth/auth-user";
import { verifySocketToken } from "../../../../services/edge/realtime/token-auth";
import { loadConfig } from "../../../../lib/config";
import { resolveRealtimeSettings } from "../../../../services/edge/realtime/realtime-settings";
import { originAllowed } from "../../../../services/edge/realtime/upgrade";
import { createTempDir } from "../../../helpers/infra";

const user: AuthUser = { id: "u1", username: "ann", roles: ["viewer"] };

describe("upgrade checks", () => {
  it("allows listed origins, non-browser clients, and * only when configured", () => {
    expect(originAllowed("https://arena.example", ["https://arena.example/"])).toBe(true);
    expect(originAllowed("https://evil.example", ["https://arena.example"])).toBe(false);
    expect(originAllowed("", ["https://arena.example"])).toBe(true);
    expect(originAllowed("https://any.example", ["*"])).toBe(true);
  });

  it("takes the expiry from verifiers that expose claims, and none otherwise", async () => {
    const plain = { verify: async () => user };
    expect(await verifySocketToken(plain, "t")).toEqual({ user, expiresAt: null });
    const withClaims = {
      verify: async () => user,
      verifyToken: async () => ({ user, claims: { exp: 1_900_000_000 } }),
    };
    expect(await verifySocketToken(withClaims, "t")).toEqual({ user, expiresAt: 1_900_000_000_000 });
    const failing = {
      verify: async () => Promise.reject(new Error("bad")),
      verifyToken: async () => Promise.reject(new Error("bad")),
    };
    await expect(verifySocketToken(failing, "t")).rejects.toThrow("bad");
  });
});

describe("realtime settings", () => {
  it("derives fan-out and viewer-count drivers from config, explicit settings winning", async () => {
    const dir = createTempDir();
    const base = { ARENA_MODE: "embedded", DATA_DIR: dir.path, METRICS_PORT: "0" };
    const embedded = resolveRealtimeSettings(await loadConfig(base), {});
    expect(embedded).toMatchObject({ natsUrl: undefined, redisUrl: undefined, clustered: false });
    const cluster = resolveRealtimeSettings(
      await loadConfig({ ...base, TRANSPORTER: "nats://n:4222", REDIS_URL: "redis://r:6379" }),
      { port: 0 },
    );
    expect(cluster).toMatchObject({ natsUrl: "nats://n:4222", redisUrl: "redis://r:6379", clustered: true, port: 0 });
    const other = resolveRealtimeSettings(await loadConfig({ ...base, TRANSPORTER: "redis://r:6379" }), {});
    expect(other).toMatchObject({ natsUrl: undefined, clustered: true });
    dir.remove();
  });
});
