/**
 * `npm run bench:tournaments`: the bracket engine (1,024-entrant double
 * elimination, 1,024-player Swiss rounds) and a 256-entrant single
 * elimination reported through the API by 50 concurrent reporters. Prints
 * figures with ratios against baselines measured in the same run and writes
 * them to docs/benchmarks.md (--no-write to skip).
 *
 * Options: --runs 15  --entrants 256  --reporters 50  --no-write
 */
import { runApiBench } from "./api";
import { runEngineBench } from "./engine";
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
  console.log(`engine: ${runs} runs each`);
  const engine = runEngineBench(runs);
  for (const r of engine)
    console.log(
      `  ${r.what}: median ${r.medianMs.toFixed(1)} ms (p90 ${r.p90Ms.toFixed(1)}), ${r.baseline} ${r.baselineMedianMs.toFixed(1)} ms → ${(r.medianMs / r.baselineMedianMs).toFixed(2)}x; ${r.detail}${r.goalMs ? `; goal < ${r.goalMs} ms: ${r.medianMs < r.goalMs ? "met" : "MISSED"}` : ""}`,
    );
  console.log(`api: ${entrants} entrants, ${reporters} concurrent reporters`);
  const api = await runApiBench(entrants, reporters);
  console.log(JSON.stringify(api, null, 2));
  const exact =
    api.matchesCompleted === entrants - 1 && api.completedEvents === entrants - 1 && api.duplicateEvents === 0;
  console.log(
    `every report applied exactly once: ${exact && api.bracketConsistent ? "yes" : "NO"}; final standings correct: ${api.championCorrect ? "yes" : "NO"}`,
  );
  if (!args.includes("--no-write")) writeTournamentsReport(engine, api, process.argv.slice(2).join(" "));
  if (!exact || !api.championCorrect || !api.bracketConsistent) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
