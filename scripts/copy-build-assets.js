// tsc only emits .js: copy the non-TypeScript files the services read at run
// time (numbered SQL migrations, JSON) next to the compiled code in dist/.
const { cpSync, readdirSync, statSync, mkdirSync } = require("node:fs");
const { join, dirname, relative } = require("node:path");

const root = join(__dirname, "..");
const ASSET = /\.(sql|json)$/;
let copied = 0;

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else if (ASSET.test(entry)) {
      const target = join(root, "dist", relative(root, full));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(full, target);
      copied++;
    }
  }
}

for (const top of ["services", "mixins", "lib"]) walk(join(root, top));
console.log(`copied ${copied} build assets to dist/`);
