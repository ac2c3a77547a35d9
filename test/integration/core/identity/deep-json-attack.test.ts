import { bulkheadLoad } from "../../../../lib/broker/bulkhead";
import { MAX_JSON_DEPTH } from "../../../../services/edge/api/json-depth";
import { isErrorBody } from "../../../helpers/api-client";
import { newUser, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(60000);

/**
 * The attack run's high finding, replayed: unauthenticated 12 KB bodies of
 * 6000 nested arrays to POST /auth/refresh each answered 500 and leaked a
 * bulkhead slot; after about 20 of them every refresh, for every user, queued
 * for the full timeout and failed with 503 until a restart.
 */
describe("over-deep JSON bodies (attack replay)", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  const attack = (field: string) => `{"${field}":${"[".repeat(6000)}${"]".repeat(6000)}}`;
  const post = (path: string, body: string) =>
    fetch(`${h.base}/api/v1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("answers 400 with a clear message, and refresh keeps working for everyone", async () => {
    const user = await newUser(h, "deep");
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => post("/auth/refresh", attack("refreshToken"))),
    );
    for (const res of responses) {
      expect(res.status).toBe(400);
      const body: unknown = await res.json();
      expect(isErrorBody(body) && body.error.message).toBe(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    for (const [path, field] of [
      ["/auth/login", "login"],
      ["/auth/register", "email"],
    ] as const) {
      expect((await post(path, attack(field))).status).toBe(400);
    }
    expect(bulkheadLoad(h.broker, "identity.refresh")).toEqual({ inFlight: 0, queued: 0 });
    expect(bulkheadLoad(h.broker, "api.rest").inFlight).toBeLessThanOrEqual(1);

    const started = Date.now();
    const refreshed = await h.api.auth.refresh(user.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("still accepts honest nesting up to the limit (the validator then decides)", async () => {
    const res = await post(
      "/auth/refresh",
      `{"refreshToken":${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}`,
    );
    expect(res.status).toBe(400);
    const body: unknown = await res.json();
    expect(isErrorBody(body) && body.error.code).toBe("VALIDATION_ERROR");
    expect(isErrorBody(body) && body.error.message).not.toMatch(/nests deeper/);
  });
});
