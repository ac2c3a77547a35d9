/**
 * A minimal iCalendar (RFC 5545) writer for schedule feeds: TEXT values
 * escaped (§3.3.11: backslash, semicolon, comma, newline), content lines
 * folded at 75 octets without splitting a UTF-8 sequence (§3.1), CRLF line
 * ends, UTC date-times. SEQUENCE and LAST-MODIFIED change with the
 * schedule so subscribed calendars pick up moved events. Shared by the
 * tournaments schedule and channel schedules.
 */
export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  sequence: number;
  updatedAt: Date;
  cancelled: boolean;
  /** CATEGORIES (e.g. the game). */
  categories?: string[];
  /** URL of the event's page. */
  url?: string;
}

export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/** Splits a content line into lines of at most 75 octets; continuations start with one space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    // The first line has 75 octets; continuation lines 74 plus the leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

export function formatUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export function renderCalendar(prodId: string, name: string, events: readonly CalendarEvent[]): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(prodId)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(name)}`,
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
  ];
  for (const e of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${formatUtc(e.updatedAt)}`,
      `LAST-MODIFIED:${formatUtc(e.updatedAt)}`,
      `DTSTART:${formatUtc(e.start)}`,
      `DTEND:${formatUtc(e.end)}`,
      `SEQUENCE:${e.sequence}`,
      `STATUS:${e.cancelled ? "CANCELLED" : "CONFIRMED"}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
    );
    if (e.categories && e.categories.length > 0) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(",")}`);
    // URI values are not TEXT: no escaping, but no line breaks either.
    if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, "")}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
