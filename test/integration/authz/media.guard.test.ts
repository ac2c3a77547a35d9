/** The authorization guard over the media services (chat, streams, videos, clips): one broker, shared actors. */
import { startGuard, type GuardHarness } from "./guard-harness";
import { describeRows } from "./route-guard";
import { ROWS } from "./rows";

jest.setTimeout(120000);

let h: GuardHarness;
beforeAll(async () => {
  h = await startGuard();
});
afterAll(() => h?.stop());

for (const service of ["chat", "streams", "videos", "clips"]) {
  if (ROWS[service]) describeRows(`authorization guard: ${service}`, ROWS[service], () => h);
}
