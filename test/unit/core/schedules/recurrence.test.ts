import {
  isTimeZone,
  nextStartAfter,
  occurrenceAt,
  occurrenceStart,
  occurrencesBetween,
  type SegmentTiming,
} from "../../../../services/core/schedules/recurrence";

const at = (iso: string) => new Date(iso);
const weekly = (startAt: string, timezone = "UTC", durationMin = 120): SegmentTiming => ({
  startAt: at(startAt),
  durationMin,
  recurring: true,
  timezone,
});

describe("schedule recurrence", () => {
  it("a single segment happens once", () => {
    const seg: SegmentTiming = {
      startAt: at("2026-03-02T18:00:00Z"),
      durationMin: 60,
      recurring: false,
      timezone: "UTC",
    };
    expect(occurrencesBetween(seg, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))).toHaveLength(1);
    expect(occurrencesBetween(seg, at("2026-03-02T19:00:00Z"), at("2027-01-01T00:00:00Z"))).toHaveLength(0);
    expect(nextStartAfter(seg, at("2026-03-02T18:00:00Z"))).toBeNull();
  });

  it("a weekly segment keeps its local wall-clock time across daylight saving changes", () => {
    // 20:00 in Berlin: 19:00Z in winter (CET), 18:00Z in summer (CEST, from 2026-03-29).
    const seg = weekly("2026-03-16T19:00:00Z", "Europe/Berlin");
    expect(occurrenceStart(seg, 1).toISOString()).toBe("2026-03-23T19:00:00.000Z");
    expect(occurrenceStart(seg, 2).toISOString()).toBe("2026-03-30T18:00:00.000Z");
    // Back to winter time on 2026-10-25.
    expect(occurrenceStart(seg, 33).toISOString()).toBe("2026-11-02T19:00:00.000Z");
    // UTC segments simply add weeks.
    expect(occurrenceStart(weekly("2026-03-16T19:00:00Z"), 2).toISOString()).toBe("2026-03-30T19:00:00.000Z");
  });

  it("lists the occurrences overlapping a window, an ongoing one included", () => {
    const seg = weekly("2026-01-05T18:00:00Z");
    const list = occurrencesBetween(seg, at("2026-02-02T19:00:00Z"), at("2026-02-24T00:00:00Z"));
    expect(list.map((o) => o.start.toISOString())).toEqual([
      "2026-02-02T18:00:00.000Z",
      "2026-02-09T18:00:00.000Z",
      "2026-02-16T18:00:00.000Z",
      "2026-02-23T18:00:00.000Z",
    ]);
    expect(list[0]!.end.toISOString()).toBe("2026-02-02T20:00:00.000Z");
    // Nothing before the first occurrence.
    expect(occurrencesBetween(seg, at("2025-01-01T00:00:00Z"), at("2026-01-06T00:00:00Z"))).toHaveLength(1);
    expect(nextStartAfter(seg, at("2026-02-02T18:00:00Z"))?.toISOString()).toBe("2026-02-09T18:00:00.000Z");
  });

  it("a stream belongs to the occurrence whose window holds its start", () => {
    const seg = weekly("2026-01-05T18:00:00Z");
    const early = 30 * 60_000;
    expect(occurrenceAt(seg, at("2026-01-12T17:40:00Z"), early)?.start.toISOString()).toBe("2026-01-12T18:00:00.000Z");
    expect(occurrenceAt(seg, at("2026-01-12T19:59:00Z"), early)?.start.toISOString()).toBe("2026-01-12T18:00:00.000Z");
    expect(occurrenceAt(seg, at("2026-01-12T17:20:00Z"), early)).toBeNull();
    expect(occurrenceAt(seg, at("2026-01-12T20:00:00Z"), early)).toBeNull();
  });

  it("knows IANA zone names", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
