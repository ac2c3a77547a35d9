import { isErrorBody, ok } from "../../../helpers/api-client";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(60000);

/**
 * Password checks (login, register, password change, MFA disable) have their
 * own small per-IP budget: lockout stops many guesses at one account, this
 * stops one IP trying a few passwords at many accounts, and bounds the slow
 * hashing one client can ask for.
 */
describe("gateway: per-IP budget of password-checking routes", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    // Budget 300 a window → 15 password checks a window per IP.
    h = await startCore({ RATE_LIMIT_PER_IP: "300", RATE_LIMIT_WINDOW_MS: "600000", TRUSTED_PROXIES: "127.0.0.1,::1" });
  });
  afterAll(() => h?.stop());

  it("refuses the 16th password check from one IP in a window with 429, while other routes and other IPs go on", async () => {
    const u = await newUser(h, "arl"); // register + login: 2 of 15
    for (let i = 0; i < 12; i++) {
      const res = await h.api.auth.login({ login: `nobody${i}@example.test`, password: PASSWORD });
      expect(res.status).toBe(401);
    }
    const last = await h.api.auth.changePassword(PASSWORD, "another-fine-passphrase-9");
    expect(last.status).toBe(401); // anonymous, but it still drew on the budget: 15 of 15
    const refused = await h.api.auth.login({ login: u.email, password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(isErrorBody(refused.body) && refused.body.error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("15");
    expect(
      (await h.api.auth.register({ email: "late@example.test", username: "latecomer", password: PASSWORD })).status,
    ).toBe(429);
    // The rest of the API is on the ordinary budget.
    expect(ok(await u.api.me.get()).id).toBe(u.id);
    expect((await h.api.auth.refresh(u.refreshToken)).status).toBe(200);
    // Another client (behind the trusted local proxy) has its own budget.
    const elsewhere = await h.api.request(
      "POST",
      "/auth/login",
      { login: u.email, password: PASSWORD },
      { headers: { "x-forwarded-for": "203.0.113.5" } },
    );
    expect(elsewhere.status).toBe(200);
  });
});
