/**
 * Writes src/api/generated/schema.d.ts: the TypeScript form of the OpenAPI
 * document the gateway serves, built from the route tables and action params
 * without starting a server (bin/openapi-offline.ts); and
 * src/api/generated/enums.ts: each named string enum of the document
 * (`ReportReason`…) as a constant list, for forms that offer the values. It runs
 * before every web build, dev server and typecheck, so a route change that
 * breaks the client fails `npm run typecheck`. The output is not committed.
 * (CommonJS like the service modules it loads.)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildOpenApiOffline } from "../../bin/openapi-offline";
import { enumConstants, GENERATED_HEADER as HEADER } from "./enum-constants";

const outFile = join(__dirname, "..", "src", "api", "generated", "schema.d.ts");
const enumsFile = join(__dirname, "..", "src", "api", "generated", "enums.ts");

/** Writes `file` when its content changed (an unchanged file keeps its mtime: no needless rebuilds). */
function writeIfChanged(file: string, source: string): boolean {
  let previous = "";
  try {
    previous = readFileSync(file, "utf8");
  } catch {
    // first run
  }
  if (previous === source) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  return true;
}

async function main(): Promise<void> {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const doc = buildOpenApiOffline();
  uniqueOperationIds(doc.paths);
  const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    emptyObjectsUnknown: true,
  });
  if (writeIfChanged(outFile, `${HEADER}\n${astToString(ast)}`))
    console.log(`api types: wrote ${outFile} (${Object.keys(doc.paths).length} paths)`);
  if (writeIfChanged(enumsFile, enumConstants(doc.components.schemas))) console.log(`api enums: wrote ${enumsFile}`);
}

/**
 * openapi-typescript keys operations by operationId and refuses duplicates;
 * the gateway derives ids from action names, so one action behind several
 * paths (feeds per blog, category, tag) repeats its id. Suffix the repeats.
 */
function uniqueOperationIds(paths: Record<string, Record<string, unknown>>): void {
  const seen = new Map<string, number>();
  for (const item of Object.values(paths))
    for (const op of Object.values(item) as Array<{ operationId?: string }>) {
      if (!op.operationId) continue;
      const n = (seen.get(op.operationId) ?? 0) + 1;
      seen.set(op.operationId, n);
      if (n > 1) op.operationId = `${op.operationId}_${n}`;
    }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
