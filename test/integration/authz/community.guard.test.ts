/** The authorization guard over schedules, moderation, notifications, analytics, blog and tournaments: one broker, shared actors. */
import { startGuard, type GuardHarness } from "./guard-harness";
import { describeRows } from "./route-guard";
import { ROWS } from "./rows";

jest.setTimeout(120000);

let h: GuardHarness;
beforeAll(async () => {
  h = await startGuard();
});
afterAll(() => h?.stop());

for (const service of ["schedules", "moderation", "notifications", "analytics", "blog", "tournaments"]) {
  if (ROWS[service]) describeRows(`authorization guard: ${service}`, ROWS[service], () => h);
}
