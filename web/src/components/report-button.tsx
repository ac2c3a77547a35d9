import { useEffect, useRef, useState } from "preact/hooks";
import { REPORT_REASONS, type ReportReason, type ReportTarget } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Notice } from "./form";

export const REASON_LABELS: Record<ReportReason, string> = {
  spam: "Spam or scam",
  harassment: "Harassment or bullying",
  hate: "Hateful conduct",
  violence: "Violence or threats",
  sexual_content: "Sexual content",
  self_harm: "Self-harm",
  impersonation: "Impersonation",
  copyright: "Copyright",
  other: "Something else",
};

export interface ReportTargetRef {
  kind: ReportTarget;
  id: string;
  /** The channel of a chat message. */
  channelId?: string | undefined;
  /** The video of a comment. */
  videoId?: string | undefined;
}

let formIds = 0;

/**
 * "Report" for anything a viewer can see (channel, live stream, video,
 * comment, chat message, user): a disclosure with the server's reason list
 * and free text. Duplicate reports collapse on the server; the reporter
 * hears "already reported" instead of a second receipt.
 */
export function ReportButton({
  target,
  label = "Report",
  small = true,
}: {
  target: ReportTargetRef;
  label?: string;
  small?: boolean;
}) {
  const me = currentUser.value;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [id] = useState(() => `report-${++formIds}`);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (open) select.current?.focus();
  }, [open]);
  if (!me) return null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const text = String(data.get("text") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const receipt = await api("post /api/v1/reports", {
        body: {
          targetKind: target.kind,
          targetId: target.id,
          reason: String(data.get("reason")) as ReportReason,
          ...(text ? { text } : {}),
          ...(target.channelId ? { channelId: target.channelId } : {}),
          ...(target.videoId ? { videoId: target.videoId } : {}),
        },
      });
      setDone(receipt.recorded ? "Thanks: the moderators will review it." : "You already reported this.");
      setOpen(false);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span class="report" data-testid={`report-${target.kind}`}>
      <button
        type="button"
        class={small ? "linklike" : "btn"}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
          setDone(null);
        }}
      >
        {label}
      </button>
      {done && (
        <span class="muted" role="status" data-testid="report-done">
          {" "}
          {done}
        </span>
      )}
      {open && (
        <form
          id={id}
          class="panel form flag-form"
          onSubmit={submit}
          aria-label={`Report this ${kindLabel(target.kind)}`}
        >
          {error && <Notice kind="error">{error}</Notice>}
          <label for={`${id}-reason`}>Why are you reporting this {kindLabel(target.kind)}?</label>
          <select ref={select} id={`${id}-reason`} name="reason" required>
            {REPORT_REASONS.map((r) => (
              <option key={r} value={r}>
                {REASON_LABELS[r]}
              </option>
            ))}
          </select>
          <label for={`${id}-text`}>Details (optional)</label>
          <textarea id={`${id}-text`} name="text" maxLength={1000} rows={3} />
          <div class="row end">
            <button type="button" class="btn ghost small" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" class="btn primary small" disabled={busy}>
              Send report
            </button>
          </div>
        </form>
      )}
    </span>
  );
}

export function kindLabel(kind: ReportTarget): string {
  return kind === "chat_message" ? "message" : kind === "stream" ? "live stream" : kind;
}
