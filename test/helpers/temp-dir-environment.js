// The test environment of every project: Node's, plus removal of the temp
// directories a test file created (createTempDir, testConfig's DATA_DIR,
// private servers) once the file is done, after all of its afterAll hooks.
// `npm test` used to leave about 87 directories (240 MB) in /tmp.
const { rmSync } = require("node:fs");
const { TestEnvironment } = require("jest-environment-node");

class TempDirEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global.__arenaTempDirs = [];
  }

  async teardown() {
    for (const dir of this.global.__arenaTempDirs ?? []) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch (err) {
        console.warn(`could not remove temp dir ${dir}: ${err.message}`);
      }
    }
    await super.teardown();
  }
}

module.exports = TempDirEnvironment;
