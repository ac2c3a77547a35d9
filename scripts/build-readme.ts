/** Rewrites the configuration table between the README's markers. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configTable } from "./config-table";

const file = join(__dirname, "..", "README.md");
const readme = readFileSync(file, "utf8");
const start = "<!-- config-table:start -->";
const end = "<!-- config-table:end -->";
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync(file, `${before}\n${configTable()}\n${after}`);
