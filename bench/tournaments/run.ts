/**
 * `npm run bench:tournaments`: the bracket engine (1,024-entrant double
 * elimination, 1,024-player Swiss rounds) and a 256-entrant single
 * elimination reported through the API by 50 concurrent reporters. Prints
 * figures with ratios against baselines measured in the same run and writes
 * them to docs/benchmarks.md (--no-write to skip).
 *
 * The machine is shared and noisy: the whole benchmark is repeated (--repeat,
 * default 3) and the median is reported (per engine row; for the API, the
 * repetition with the median reports/s).
 *
 * Options: --runs 15  --entrants 256  --reporters 50  --repeat 3  --no-write
 */
import { runApiBench, type ApiResult } from "./api";
import { runEngineBench, type EngineRow } from "./engine";
import { writeTournamentsReport } from "./report";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

async function main(): Promise<void> {
  const runs = Number(opt("runs", "15"));
  const entrants = Number(opt("entrants", "256"));
  const reporters = Number(opt("reporters", "50"));
  const repeat = Math.max(1, Number(opt("repeat", "3")));
  const engineRuns: EngineRow[][] = [];
  const apiRuns: ApiResult[] = [];
  for (let i = 1; i <= repeat; i++) {
    console.log(
      `repetition ${i}/${repeat}: engine (${runs} runs per figure), then api (${entrants} entrants, ${reporters} reporters)`,
    );
    engineRuns.push(runEngineBench(runs));
    apiRuns.push(await runApiBench(entrants, reporters));
    const last = apiRuns[apiRuns.length - 1] as ApiResult;
    console.log(
      `  api: ${last.reportsPerS.toFixed(1)} reports/s, p50 ${last.p50Ms.toFixed(0)} ms, read p50 ${last.readP50Ms.toFixed(0)} ms`,
    );
  }
  const median = <T>(items: T[], key: (x: T) => number): T =>
    [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)] as T;
  const engine = (engineRuns[0] as EngineRow[]).map((_, row) =>
    median(
      engineRuns.map((r) => r[row] as EngineRow),
      (r) => r.medianMs,
    ),
  );
  for (const r of engine)
    console.log(
      `  ${r.what}: median ${r.medianMs.toFixed(1)} ms (p90 ${r.p90Ms.toFixed(1)}), ${r.baseline} ${r.baselineMedianMs.toFixed(1)} ms → ${(r.medianMs / r.baselineMedianMs).toFixed(2)}x; ${r.detail}${r.goalMs ? `; goal < ${r.goalMs} ms: ${r.medianMs < r.goalMs ? "met" : "MISSED"}` : ""}`,
    );
  const api = median(apiRuns, (r) => r.reportsPerS);
  console.log(JSON.stringify(api, null, 2));
  const exactAll = apiRuns.every(
    (r) =>
      r.matchesCompleted === entrants - 1 &&
      r.completedEvents === entrants - 1 &&
      r.duplicateEvents === 0 &&
      r.bracketConsistent &&
      r.championCorrect,
  );
  const exact = exactAll;
  console.log(
    `every report applied exactly once, final standings correct (all ${repeat} repetitions): ${exactAll ? "yes" : "NO"}`,
  );
  if (!args.includes("--no-write")) writeTournamentsReport(engine, api, process.argv.slice(2).join(" "), repeat);
  if (!exact) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
