/**
 * The authorization guard over identity, users and channels: one broker with
 * every service behind the real gateway (guard-harness), shared actors.
 */
import { startGuard, type GuardHarness } from "./guard-harness";
import { describeRows } from "./route-guard";
import { ROWS } from "./rows";

jest.setTimeout(120000);

let h: GuardHarness;
beforeAll(async () => {
  h = await startGuard();
});
afterAll(() => h?.stop());

for (const service of ["identity", "users", "channels"])
  describeRows(`authorization guard: ${service}`, ROWS[service] ?? [], () => h);
