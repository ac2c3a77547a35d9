#!/usr/bin/env node
/**
 * Arena's import rules, checked by `npm run lint` (and CI through it):
 *
 *   1. No import cycles among the sources (type-only imports count: a cycle
 *      of types is still two files that cannot be understood apart).
 *   2. Layers point one way: lib/ imports only lib/; mixins/ imports lib/
 *      and mixins/; services/ imports lib/, mixins/ and services/; bin/
 *      (the composition root) may import anything. Services talk to each
 *      other's contracts through the global ActionMap / PlainEventMap /
 *      DurableEventMap, so lib/ and mixins/ never need a service import.
 *
 * Only relative imports are followed (packages are outside the graph).
 * Usage, from the project root: node scripts/check-imports.mjs [dir ...]
 * (default: services mixins lib bin). Prints one line per problem and exits
 * 1 when there is any.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const LAYERS = ["lib", "mixins", "services", "bin"];
/** What each layer may import (its own layer included). */
const ALLOWED = {
  lib: new Set(["lib"]),
  mixins: new Set(["lib", "mixins"]),
  services: new Set(["lib", "mixins", "services"]),
  bin: new Set(LAYERS),
};

const root = process.cwd();
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["services", "mixins", "lib", "bin"];

function sourceFiles(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(resolve(path));
  }
  return out;
}

const files = roots.filter((r) => existsSync(r)).flatMap((r) => sourceFiles(r, []));
const known = new Set(files);

// `import x from "./a"`, `import type { T } from "./a"`, `export * from "./a"`, `import "./a"`,
// `import("./a")`, `require("./a")`; comments are stripped first so examples in docs do not count.
const SPECIFIERS = [
  /^\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/gm,
  /^\s*import\s+["'](\.{1,2}\/[^"']+)["']/gm,
  /\b(?:import|require)\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
];

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ""));
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) if (known.has(candidate)) return candidate;
  return undefined;
}

const layerOf = (file) => {
  const top = relative(root, file).split(sep)[0];
  return LAYERS.includes(top) ? top : undefined;
};

const edges = new Map();
const problems = [];
for (const file of files) {
  const text = stripComments(readFileSync(file, "utf8"));
  const deps = new Set();
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const target = resolveImport(file, match[1]);
      if (target) deps.add(target);
    }
  }
  edges.set(file, [...deps]);
  const from = layerOf(file);
  for (const dep of deps) {
    const to = layerOf(dep);
    if (from && to && !ALLOWED[from].has(to))
      problems.push(`layer: ${relative(root, file)} (${from}/) imports ${relative(root, dep)} (${to}/)`);
  }
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(v) {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) !== index.get(v)) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(relative(root, w));
  } while (w !== v);
  const selfImport = component.length === 1 && edges.get(v).includes(v);
  if (component.length > 1 || selfImport) problems.push(`cycle: ${component.sort().join(" <-> ")}`);
}
for (const file of files) if (!index.has(file)) visit(file);

for (const problem of problems) console.log(problem);
if (problems.length > 0) {
  console.log(`check-imports: ${problems.length} problem(s); see the rules at the top of scripts/check-imports.mjs`);
  process.exit(1);
}
