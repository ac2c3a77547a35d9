import type { AuthUser } from "../../../lib/auth/auth-user";
import { verifySocketToken } from "../../../services/realtime/token-auth";
import { originAllowed } from "../../../services/realtime/upgrade";

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
    const withClaims = { verify: async () => user, verifyToken: async () => ({ user, claims: { exp: 1_900_000_000 } }) };
    expect(await verifySocketToken(withClaims, "t")).toEqual({ user, expiresAt: 1_900_000_000_000 });
    const failing = { verify: async () => Promise.reject(new Error("bad")), verifyToken: async () => Promise.reject(new Error("bad")) };
    await expect(verifySocketToken(failing, "t")).rejects.toThrow("bad");
  });
});
