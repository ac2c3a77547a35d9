/**
 * Every /streams operation called for real on a session opened the way the
 * ingest opens it, each answer checked against the status and body schema
 * the OpenAPI document declares (issue 9).
 */
import { ApiClient } from "../../../helpers/api-client";
import { ResponseCheck } from "../../../helpers/response-check";
import { ingestCallbacks } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import { newUser, type CoreHarness } from "../../core/core-harness";
import { createChannel, startStreams, type StreamsHarness } from "./streams-harness";

let h: StreamsHarness;
let check: ResponseCheck;

beforeAll(async () => {
  h = await startStreams();
  check = await ResponseCheck.load(h.base);
});
afterAll(async () => {
  await h?.stop();
});

it("answers every /streams operation with its declared status and body", async () => {
  const alice = await newUser(h as unknown as CoreHarness, "alice");
  const owner = new ApiClient(h.base, alice.token, check.fetch);
  const anon = new ApiClient(h.base, undefined, check.fetch);
  const { channel } = await createChannel(alice.api, {
    slug: `doc-${Date.now().toString(36)}`,
    title: "Documented",
    category: "fps",
  });
  const path = `/streams/channels/${channel.id}`;
  expect((await anon.request("GET", path)).status).toBe(200); // offline: no session
  const svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
  await ingestCallbacks(svc).publishStarted({ channelId: channel.id, ownerId: alice.id, connectionId: "conn-doc" });

  expect((await anon.request("GET", "/streams/live")).status).toBe(200);
  expect((await anon.request("GET", path)).status).toBe(200);
  expect((await owner.request("GET", `${path}/health`)).status).toBe(200);
  expect((await owner.request("PATCH", path, { title: "Renamed while live" })).status).toBe(200);
  expect((await owner.request("POST", `${path}/ingest`, {})).status).toBe(200);
  expect((await owner.request("POST", `${path}/end`, {})).status).toBe(200);
  expect((await anon.request("GET", "/streams/channels/no-such-channel")).status).toBe(404);

  expect(check.violationsOf("streams.")).toEqual([]);
  expect(check.unanswered("streams.")).toEqual([]);
});
