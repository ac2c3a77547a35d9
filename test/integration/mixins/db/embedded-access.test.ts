/**
 * The attack run's embedded-database findings: PGlite listened on
 * 127.0.0.1 with no authentication (any local process was superuser and could
 * read the signing keys), and 969 of its files were world-writable. Now it is
 * served on a Unix socket only (0600, in a 0700 directory) and every file
 * under DATA_DIR is owner-only.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { acquireEmbeddedPostgres, socketLocation, type EmbeddedLease } from "../../../../mixins/db/embedded-postgres";
import { createTempDir, type TempDir } from "../../../helpers/infra";

/** Inodes of TCP sockets in LISTEN state that this process holds. */
function listeningTcpInodes(): Set<string> {
  const listening = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A") listening.add(cols[9] as string);
    }
  }
  const mine = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) mine.add(inode);
  }
  return mine;
}

function groupOrOtherAccess(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return found;
}

describe("embedded PostgreSQL access", () => {
  let dir: TempDir;
  let lease: EmbeddedLease;
  let tcpBefore: Set<string>;

  beforeAll(async () => {
    dir = createTempDir("arena-pg-access-");
    tcpBefore = listeningTcpInodes();
    lease = await acquireEmbeddedPostgres(dir.path);
    await lease.sequelize.query("CREATE TABLE secrets_probe (v text)");
  });
  afterAll(async () => {
    await lease?.release();
    dir?.remove();
  });

  it("is served on a Unix socket, 0600 in a 0700 directory, and on no TCP port", () => {
    const socket = lstatSync(lease.socketFile);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(lstatSync(join(lease.socketFile, "..")).mode & 0o777).toBe(0o700);
    expect(lease.socketFile.startsWith(dir.path)).toBe(true);
    const opened = [...listeningTcpInodes()].filter((inode) => !tcpBefore.has(inode));
    expect(opened).toEqual([]);
  });

  it("leaves nothing under DATA_DIR readable or writable by group or others, whatever modes PGlite asks for", () => {
    expect(groupOrOtherAccess(dir.path)).toEqual([]);
  });

  (process.getuid?.() === 0 ? it : it.skip)("refuses a connection from another OS user (nobody)", () => {
    const probe = `
      const s = require("node:net").connect(${JSON.stringify(lease.socketFile)});
      s.on("connect", () => { console.log("CONNECTED"); s.destroy(); });
      s.on("error", (e) => console.log(e.code));`;
    const run = spawnSync(process.execPath, ["-e", probe], { uid: 65534, gid: 65534, cwd: "/", encoding: "utf8" });
    expect(run.stdout.trim()).toBe("EACCES");
  });
});

it("falls back to a private temporary directory when DATA_DIR's path is too long for a socket address", () => {
  const dir = createTempDir("arena-pg-long-");
  try {
    const long = join(dir.path, "d".repeat(60), "e".repeat(60));
    const location = socketLocation(long);
    expect(location.file.startsWith(long)).toBe(false);
    expect(location.file.length).toBeLessThan(100);
    expect(lstatSync(location.dir).mode & 0o777).toBe(0o700);
    location.cleanUp();
    expect(existsSync(location.dir)).toBe(false);
    const short = socketLocation(dir.path);
    expect(short.file).toBe(join(dir.path, "run", ".s.PGSQL.5432"));
  } finally {
    dir.remove();
  }
});
