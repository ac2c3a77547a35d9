// Three projects so each layer can run alone: `jest --selectProjects unit`.
// Per-project timeouts are set in setup files (jest ignores testTimeout inside a project).
const transform = {
  "^.+\\.ts$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
  ],
};
const common = { transform, testEnvironment: "node", moduleFileExtensions: ["ts", "js", "json"] };
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
