// Mutation testing of the security-critical modules (npm run test:mutation; not part of npm test: it is slow).
// Each mutant runs only the unit tests that cover it (perTest coverage); the score is recorded in docs/testing.md.
// STRYKER_MUTATE narrows a run to some of the files (comma-separated), so a run fits on a busy machine.
const modules = [
  "lib/auth/jwt-verifier.ts", // token verification
  "lib/auth/claims.ts", // token claims → user and roles
  "services/core/identity/refresh-token.ts", // refresh rotation and reuse detection
  "services/core/channels/stream-key.ts", // stream-key check
  "lib/media/signed-url.ts", // signed media URLs
  "lib/auth/ownership.ts", // authorization checks in the services
  "mixins/durable-events/dedupe-store.ts:30-86", // durable-event dedupe (the memory driver; Redis is integration-tested)
  "services/edge/realtime/message-gate.ts", // chat moderation gate
];
const only = process.env.STRYKER_MUTATE?.split(",").filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "stryker.jest.config.js", enableFindRelatedTests: false },
  coverageAnalysis: "perTest",
  mutate: only ?? modules,
  thresholds: { high: 90, low: 80, break: 80 },
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 10000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Outside node_modules: Jest ignores test paths under it.
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["web", "docs", "deploy", "k8s", "bench", "dist", "reports", "test/e2e"],
  cleanTempDir: true,
};
