import { escapeText, foldLine, formatUtc, renderCalendar } from "../../../../lib/calendar/ical";

describe("iCalendar writer (RFC 5545)", () => {
  it("escapes TEXT values: backslash, semicolon, comma, newlines; drops control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\u0007")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });

  it("folds lines at 75 octets without splitting a UTF-8 sequence", () => {
    const line = `SUMMARY:${"é".repeat(60)}${"x".repeat(50)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded.length).toBeGreaterThan(1);
    for (const [i, part] of folded.entries()) {
      expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
    }
    // Unfolding (remove CRLF + one space) gives the line back, every character whole.
    expect(foldLine(line).replace(/\r\n /g, "")).toBe(line);
    expect(foldLine("SHORT:1")).toBe("SHORT:1");
  });

  it("renders a calendar with CRLF line ends, UTC times and one VEVENT per event", () => {
    const ics = renderCalendar("-//Arena//T//EN", "Cup, finals; day 1", [
      {
        uid: "m1@arena",
        start: new Date("2026-05-01T18:00:00Z"),
        end: new Date("2026-05-01T19:00:00Z"),
        summary: "A vs B",
        description: "Round 1",
        sequence: 3,
        updatedAt: new Date("2026-04-01T00:00:00Z"),
        cancelled: false,
      },
    ]);
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.split("\r\n").every((l) => !l.includes("\n"))).toBe(true);
    expect(ics).toContain("X-WR-CALNAME:Cup\\, finals\\; day 1\r\n");
    expect(ics).toContain("DTSTART:20260501T180000Z\r\n");
    expect(ics).toContain("SEQUENCE:3\r\n");
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(formatUtc(new Date("2026-01-02T03:04:05.678Z"))).toBe("20260102T030405Z");
  });
});
