/**
 * The search statement's own cost on two kept bench corpora (`npm run bench:search -- --keep`), old and new schema or
 * settings side by side: every bench query's statement with fresh lexicon lookups (no memo, as the first ask of a
 * query runs), 5 runs each, the two databases alternated, medians summed per third of the queries (whole words,
 * a prefix last, a typo last). Prints any query whose answer differs between the two.
 *
 *   npx tsx bench/search/statement-ab.ts <before database> <after database>
 */
import { Client } from "pg";
import { performance } from "node:perf_hooks";
import { searchStatement } from "../../services/content/search/search-statement";
import { buildQueryTerms } from "../../services/content/search/query-terms";
import { queryTokens } from "../../services/content/search/text-fold";
import { generateQueries } from "./corpus";
import { median } from "../shared/stats";

async function connect(db: string): Promise<Client> {
  const c = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
  await c.connect();
  await c.query("SET search_path = search, public");
  return c;
}
/** Runs per query and database; the statement is built with the service's default settings (search.service.ts). */
const RUNS = 5;

async function main(): Promise<void> {
  const [beforeDb, afterDb] = process.argv.slice(2);
  if (!beforeDb || !afterDb) throw new Error("usage: statement-ab.ts <before database> <after database>");
  const clients = { before: await connect(beforeDb), after: await connect(afterDb) };
  const queries = generateQueries(150);
  const sums = { before: [0, 0, 0], after: [0, 0, 0] };
  for (let qi = 0; qi < queries.length; qi++) {
    const tokens = queryTokens(queries[qi] as string);
    const { sql, binds } = searchStatement({
      tokens,
      terms: buildQueryTerms(tokens),
      filters: {},
      blocked: [],
      after: null,
      limit: 20,
      withFacets: true,
      matchCap: 1000,
      prefixExpansion: 16,
      corrections: { minLength: 4, similarity: 0.35, perToken: 3, neighbours: 8 },
      known: null,
    });
    const times = { before: [] as number[], after: [] as number[] };
    const answers: Record<string, string> = {};
    for (let run = 0; run < RUNS; run++) {
      for (const side of run % 2 ? (["after", "before"] as const) : (["before", "after"] as const)) {
        const t0 = performance.now();
        const r = await clients[side].query(sql, binds);
        times[side].push(performance.now() - t0);
        answers[side] = JSON.stringify(r.rows);
      }
    }
    if (answers.before !== answers.after) console.log(`DIFFERENT ANSWER: ${queries[qi]}`);
    for (const side of ["before", "after"] as const) {
      const m = median(times[side]);
      sums[side][qi % 3] = (sums[side][qi % 3] ?? 0) + m;
    }
  }
  for (const side of ["before", "after"] as const) {
    const thirds = sums[side];
    const total = thirds.reduce((a, b) => a + b, 0);
    console.log(
      `${side}: ${total.toFixed(0)} ms; by third (whole, prefix, typo): ${thirds.map((x) => x.toFixed(0)).join(" / ")}`,
    );
  }
  await clients.before.end();
  await clients.after.end();
}
main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
