/**
 * A local HTTP endpoint standing in for AWS MediaConvert: it records every
 * request the SDK sends and answers like MediaConvert's REST-JSON API —
 * 201 on CreateJob, then PROGRESSING once and COMPLETE (or ERROR, for a role
 * ending in "/failing") on GetJob. A role ending in "/flaky" gets a 400 on its
 * first CreateJob (a transient refusal the SDK does not retry itself).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { uniqueId } from "../../../../helpers/infra";

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
}

export interface MediaConvertStandIn {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startMediaConvertStandIn(): Promise<MediaConvertStandIn> {
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, { polls: number; fail: boolean }>();
  const refusedRoles = new Set<string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      requests.push({ method: req.method ?? "", path: req.url ?? "", body, authorization: req.headers.authorization });
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url === "/2017-08-29/jobs") {
        const id = uniqueId("job");
        const role = String(body?.role ?? "");
        if (role.endsWith("/flaky") && !refusedRoles.has(role)) {
          refusedRoles.add(role);
          res.statusCode = 400;
          res.setHeader("x-amzn-errortype", "BadRequestException");
          res.end(JSON.stringify({ message: "Request limit for this role exceeded, try again" }));
          return;
        }
        jobs.set(id, { polls: 0, fail: role.endsWith("/failing") });
        res.statusCode = 201;
        res.end(JSON.stringify({ job: { id, status: "SUBMITTED", role, settings: body?.settings } }));
        return;
      }
      const match = /^\/2017-08-29\/jobs\/([^/?]+)/.exec(req.url ?? "");
      const id = match?.[1] ?? "";
      const job = jobs.get(id);
      if (req.method === "GET" && job) {
        job.polls += 1;
        if (job.polls < 2) return res.end(JSON.stringify({ job: { id, status: "PROGRESSING" } }));
        if (job.fail)
          return res.end(
            JSON.stringify({
              job: { id, status: "ERROR", errorCode: 1010, errorMessage: "Unable to open input file" },
            }),
          );
        return res.end(
          JSON.stringify({
            job: {
              id,
              status: "COMPLETE",
              outputGroupDetails: [
                {
                  outputDetails: [
                    { durationInMs: 2040, videoDetails: { widthInPx: 320, heightInPx: 240 } },
                    { durationInMs: 2040, videoDetails: { widthInPx: 192, heightInPx: 144 } },
                  ],
                },
                { outputDetails: [{ durationInMs: 2040, videoDetails: { widthInPx: 240, heightInPx: 180 } }] },
              ],
            },
          }),
        );
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ message: "not found" }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
