/**
 * Requests Node's HTTP parser refuses before any route sees them get a status and the one error body, not a
 * dropped connection: a URL plus headers over the parser's limit (a long search with a bearer token) used
 * to end in "other side closed" with nothing for the client to act on.
 */
import { connect } from "node:net";
import { testConfig } from "../../../helpers/infra";
import { startGateway, type ErrorBodyShape, type Gateway } from "./gateway-harness";

/** Sends `raw` on a fresh connection and resolves with everything the server wrote before closing. */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(raw));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

describe("gateway: requests the HTTP parser refuses", () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway(await testConfig());
  });
  afterAll(() => gw?.stop());

  it("a URL and headers over the limit are a 431 with the error body", async () => {
    const res = await fetch(`${gw.base}/api/v1/public?q=${"x".repeat(20_000)}`, {
      headers: { authorization: `Bearer ${"t".repeat(800)}` },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as ErrorBodyShape;
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/too large/);
    expect(body.error.requestId).toEqual(expect.any(String));
  });

  it("a request that is not HTTP is a 400 with the error body, and the connection closes", async () => {
    const answer = await exchange(gw.api.boundPort(), "HELLO THERE\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as ErrorBodyShape;
    expect(body.error.code).toBe("BAD_REQUEST");
  });
});
