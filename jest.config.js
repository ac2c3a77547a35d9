// Three projects so each layer can run alone: `jest --selectProjects unit`.
// Per-project timeouts are set in setup files (jest ignores testTimeout inside a project).
const transform = {
  "^.+\\.ts$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
  ],
};
// Node's environment, which also removes each test file's temp directories when the file ends;
// Jest's transform cache lives with the project: npm test leaves nothing in /tmp.
const common = {
  transform,
  testEnvironment: "<rootDir>/test/helpers/temp-dir-environment.js",
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  moduleFileExtensions: ["ts", "js", "json"],
  // A running `npm run test:mutation` keeps a copy of the repo there: its package.json would collide in the module map.
  modulePathIgnorePatterns: ["<rootDir>/.stryker-tmp/"],
};
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/helpers/timeout-60s.ts"],
    },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/helpers/timeout-180s.ts"],
    },
  ],
};
