/** What the new index events change: suspension both ways, deletion tombstones, provisioned people. */
import * as E from "../../../../services/content/search/event-changes";
import { applyChange, emptyDoc, isVisible, type SearchDoc } from "../../../../services/content/search/search-doc";

function apply(doc: SearchDoc, changes: ReturnType<typeof E.channelSuspension>): SearchDoc {
  return changes.filter((c) => `${c.type}:${c.sourceId}` === doc.id).reduce((d, c) => applyChange(d, c) ?? d, doc);
}

const listed = (type: "channel" | "stream" | "user", id: string): SearchDoc => ({
  ...emptyDoc(type, id),
  title: "Speedrun Sundays",
  listed: true,
  live: type === "stream",
});

describe("channel suspension events", () => {
  it("hide the channel and its live stream, and a newer reinstatement shows them again", () => {
    const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min)).toISOString();
    const ev = (suspended: boolean, min: number) =>
      E.channelSuspension({ channelId: "c1", ownerId: "o1", suspended, at: at(min) }, 0);
    let channel = listed("channel", "c1");
    let stream = listed("stream", "c1");
    channel = apply(channel, ev(true, 10));
    stream = apply(stream, ev(true, 10));
    expect([isVisible(channel), isVisible(stream)]).toEqual([false, false]);
    // An older reinstatement delivered late changes nothing.
    expect(applyChange(channel, ev(false, 5)[0]!)).toBeNull();
    channel = apply(channel, ev(false, 20));
    expect(isVisible(channel)).toBe(true);
  });

  it("fall back to the envelope's time when the payload's is unreadable", () => {
    const [change] = E.channelSuspension({ channelId: "c1", ownerId: "o1", suspended: true, at: "" }, 1234);
    expect(change?.position).toEqual({ at: 1234 });
  });
});

describe("deletion tombstones", () => {
  it("erase the text and stay deleted whatever content arrives later", () => {
    const [tomb] = E.erased([{ type: "channel", sourceId: "c1" }], { at: 100 });
    const erased = applyChange(listed("channel", "c1"), tomb!);
    expect(erased).toMatchObject({ title: "", body: "", tags: [], deleted: true });
    expect(isVisible(erased!)).toBe(false);
    const later = E.channelUpdated(
      {
        channelId: "c1",
        ownerId: "o1",
        slug: "c1",
        title: "Back again",
        category: null,
        tags: [],
        language: "en",
        mature: false,
        changed: ["title"],
        updatedAt: "",
      },
      { at: 200 },
    )[0]!;
    expect(isVisible(applyChange(erased!, later)!)).toBe(false);
  });
});

it("indexes a provisioned person under their display name and username", () => {
  const [change] = E.userProvisioned(
    { userId: "u1", username: "kazumi", displayName: "Kazumi", createdAt: "" },
    { at: 1 },
  );
  const doc = applyChange(emptyDoc("user", "u1"), change!);
  expect(doc).toMatchObject({ title: "Kazumi", tags: ["kazumi"], ownerId: "u1", listed: true });
  expect(isVisible(doc!)).toBe(true);
});

describe("follower count events", () => {
  const counted = (followerCount: number, followerVersion: number, minute: number) =>
    E.channelFollowersChanged(
      {
        channelId: "c1",
        followerCount,
        followerVersion,
        changedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
      },
      0,
    )[0]!;

  it("keep the count of the highest version, whatever the times say (clocks of two nodes differ)", () => {
    const doc = applyChange(listed("channel", "c1"), counted(5, 7, 10))!;
    expect(doc.followers).toBe(5);
    // Version 6 stamped later by a node whose clock runs ahead: still older.
    expect(applyChange(doc, counted(9, 6, 30))).toBeNull();
    expect(applyChange(doc, counted(4, 8, 1))?.followers).toBe(4);
  });

  it("are not superseded by viewer samples, nor supersede them", () => {
    let doc = applyChange(listed("channel", "c1"), counted(5, 7, 10))!;
    const sample = { type: "channel" as const, sourceId: "c1", aspect: "stats" as const, fields: { viewers: 3 } };
    doc = applyChange({ ...doc, live: true }, { ...sample, position: { at: Date.UTC(2026, 0, 1, 1) } })!;
    expect(applyChange(doc, counted(6, 8, 11))?.followers).toBe(6);
  });
});
