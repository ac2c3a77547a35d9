// The unit tests that guard the modules under mutation (stryker.config.mjs): fast, no servers.
const base = require("./jest.config.js").projects[0];
module.exports = {
  ...base,
  displayName: undefined,
  // Stryker wraps the environment without expanding <rootDir>.
  testEnvironment: `${__dirname}/test/helpers/temp-dir-environment.js`,
  // A busy machine slows the servers some unit specs start; a timeout there is not a killed mutant.
  testTimeout: 30000,
  testMatch: [
    "<rootDir>/test/unit/lib/auth/jwt-verifier.test.ts",
    "<rootDir>/test/unit/lib/auth/claims.test.ts",
    "<rootDir>/test/unit/lib/auth/ownership.test.ts",
    "<rootDir>/test/unit/core/identity/identity-crypto.test.ts",
    "<rootDir>/test/unit/core/channels/channels-domain.test.ts",
    "<rootDir>/test/unit/lib/media/signed-url.test.ts",
    "<rootDir>/test/unit/mixins/durable-events/dedupe-store.test.ts",
    "<rootDir>/test/unit/edge/realtime/message-gate.test.ts",
  ],
};
