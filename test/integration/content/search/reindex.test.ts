/**
 * search.reindex against the real channels and users services on
 * PostgreSQL: an index that lost documents is rebuilt while channels keep
 * being created and renamed (their events racing the sweep), searches keep
 * answering meanwhile, the newest title always wins, and a document no
 * service lists any more is hidden; suspensions whose events search missed
 * (a channel's, an account's) are read again, so suspended content stays out.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { callAction } from "../../../../lib/contracts";
import type { SearchResult } from "../../../../services/content/search/search-query";
import ChannelsService from "../../../../services/core/channels/channels.service";
import IdentityService from "../../../../services/core/identity/identity.service";
import UsersService from "../../../../services/core/users/users.service";
import { waitFor } from "../../../helpers/infra";
import { startSearch, type SearchHarness } from "./search-harness";
import "../../../../services/content/search/search.contract";
import "../../../../services/core/channels/channels.contract";
import "../../../../services/core/users/users.contract";

let h: SearchHarness;
const asUser = (id: string) => ({ meta: { user: { id, username: id, roles: ["creator" as const] } } });
const asAdmin = { meta: { user: { id: "admin", username: "admin", roles: ["admin" as const] } } };

async function titles(query: string): Promise<string[]> {
  const res = await h.api.request<SearchResult>("GET", `/search?${query}&limit=100`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.map((i) => i.title).sort();
}

async function createChannel(broker: ServiceBroker, n: number): Promise<string> {
  const owner = `owner${n}`;
  await callAction(broker, "users.provision", { id: owner, username: owner, displayName: `Owner ${n}` });
  const { channel } = await callAction(
    broker,
    "channels.create",
    { slug: `reidx-${n}`, title: `Reindex Channel ${n}` },
    asUser(owner),
  );
  return channel.id;
}

beforeAll(async () => {
  h = await startSearch({
    extraServices: [UsersService as ServiceSchema, ChannelsService as ServiceSchema, IdentityService as ServiceSchema],
  });
});
afterAll(async () => {
  await h?.stop();
});

it("rebuilds the index during writes without downtime; newer events win; unlisted documents are hidden", async () => {
  const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => createChannel(h.broker, i)));
  await waitFor(async () => (await titles("q=reindex&type=channel")).length === 12, { what: "channels indexed" });
  // A document whose channel does not exist (as if deleted while search was not listening).
  await h.handled([
    await h.deliver("channel.created", {
      channelId: "ghost",
      ownerId: "nobody",
      slug: "ghost",
      title: "Reindex Ghost",
      category: null,
      createdAt: "",
    }),
  ]);
  // The index loses half its channel documents.
  await h.search.db.query("DELETE FROM documents WHERE type = 'channel' AND source_id = ANY($1::text[])", [
    ids.slice(0, 6),
  ]);
  expect(await titles("q=reindex&type=channel")).toHaveLength(7);
  // And every person (indexed from user.provisioned so far): only the sweep can bring them back now.
  await waitFor(async () => (await titles("q=owner&type=user")).length === 12, { what: "people indexed" });
  await h.search.db.query("DELETE FROM documents WHERE type = 'user'");

  const sweep = callAction(h.broker, "search.reindex", { types: ["channel", "user"] });
  const writes = Promise.all([
    ...ids
      .slice(0, 4)
      .map((id, i) =>
        callAction(h.broker, "channels.update", { id, title: `Renamed Reindex ${i}` }, asUser(`owner${i}`)),
      ),
    createChannel(h.broker, 100),
  ]);
  // Searches answer throughout.
  const during = await titles("q=reindex&type=channel");
  expect(during.length).toBeGreaterThan(0);
  const [result] = await Promise.all([sweep, writes]);
  expect(result.read.channel).toBeGreaterThanOrEqual(12);
  expect(result.hidden).toBeGreaterThanOrEqual(1);

  const expected = [
    ...[0, 1, 2, 3].map((i) => `Renamed Reindex ${i}`),
    ...[4, 5, 6, 7, 8, 9, 10, 11, 100].map((i) => `Reindex Channel ${i}`),
  ].sort();
  await waitFor(async () => (await titles("q=reindex&type=channel")).join() === expected.join(), {
    what: "every channel with its newest title",
  });
  // People come back from the owners of the channels the sweep read.
  const people = await titles("q=owner&type=user");
  expect(people.length).toBeGreaterThanOrEqual(12);
  expect(people).toEqual(expect.arrayContaining(["Owner 0", "Owner 11"]));
});

it("hides a channel suspended through the channels service and its durable event, and shows it when reinstated", async () => {
  const id = await createChannel(h.broker, 200);
  await waitFor(async () => (await titles("q=reindex%20channel%20200")).length === 1, { what: "channel indexed" });
  await callAction(h.broker, "channels.suspend", { id, reason: "test" }, asAdmin);
  await waitFor(async () => (await titles("q=reindex%20channel%20200")).length === 0, { what: "suspended gone" });
  await callAction(h.broker, "channels.unsuspend", { id }, asAdmin);
  await waitFor(async () => (await titles("q=reindex%20channel%20200")).length === 1, { what: "reinstated back" });
});

it("keeps suspended channels and accounts out after a reindex, though search missed their events", async () => {
  const channelId = await createChannel(h.broker, 300);
  // The owner of this one is suspended as an account (a provisioned profile: the harness runs an external issuer).
  await createChannel(h.broker, 301);
  const account = { id: "owner301" };
  await waitFor(async () => (await titles("q=reindex%20channel%20300")).length === 1, { what: "channel indexed" });
  await waitFor(async () => (await titles("q=reindex%20channel%20301")).length === 1, { what: "channel indexed" });
  await callAction(h.broker, "channels.suspend", { id: channelId, reason: "test" }, asAdmin);
  await callAction(h.broker, "identity.suspendUser", { userId: account.id, reason: "test" }, asAdmin);
  await waitFor(async () => (await titles("q=reindex%20channel%20300")).length === 0, { what: "channel hidden" });
  await waitFor(async () => (await titles("q=reindex%20channel%20301")).length === 0, { what: "account hidden" });
  // Search forgets the account's suspension, as if it had never handled its event.
  await h.search.db.query("DELETE FROM suspended_owners WHERE owner_id = $1", [account.id]);
  // And search is told the channel was reinstated (as a lost or misordered event could leave it).
  await h.handled([
    await h.deliver("channel.unsuspended", {
      channelId,
      ownerId: "owner300",
      suspended: false,
      at: new Date().toISOString(),
    }),
  ]);
  await h.search.cache.invalidate();
  expect(await titles("q=reindex%20channel%20300")).toHaveLength(1);
  expect(await titles("q=reindex%20channel%20301")).toHaveLength(1);

  await callAction(h.broker, "search.reindex", { types: ["channel"] });
  expect(await titles("q=reindex%20channel%20300")).toEqual([]);
  expect(await titles("q=reindex%20channel%20301")).toEqual([]);
  // Still searchable once lifted (the reindex recorded the state, not a permanent hide).
  await callAction(h.broker, "channels.unsuspend", { id: channelId }, asAdmin);
  await waitFor(async () => (await titles("q=reindex%20channel%20300")).length === 1, { what: "reinstated" });
});
