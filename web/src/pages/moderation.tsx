import { useEffect, useState } from "preact/hooks";
import type { AuditAction, ModerationAction, ReportTarget, ReportView } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser, sessionChecked } from "../api/session";
import { Notice } from "../components/form";
import { kindLabel, REASON_LABELS } from "../components/report-button";
import { timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { navigate, setTitle, type PageProps } from "../router";
import "../components/community.css";

/** Every action the audit log may show (the document's list: account suspensions included). */
const ACTION_LABELS: Record<AuditAction, string> = {
  dismiss: "Dismiss",
  delete_content: "Delete the content",
  timeout: "Time out the author",
  ban: "Ban the author from the channel",
  suspend_channel: "Suspend the channel",
  suspend_account: "Suspend the author's account",
  unsuspend_account: "Reinstate the account",
};

/** Which actions make sense for a report (act-actions.ts refuses the rest). */
function actionsFor(r: ReportView, admin: boolean): ModerationAction[] {
  const out: ModerationAction[] = ["dismiss"];
  if (r.targetKind === "comment" || r.targetKind === "chat_message" || r.targetKind === "video")
    out.push("delete_content");
  if (r.channelId && r.targetUserId && r.targetKind !== "user" && r.targetKind !== "channel")
    out.push("timeout", "ban");
  if (admin && r.channelId) out.push("suspend_channel");
  return out;
}

function targetLink(r: ReportView): string | null {
  if (r.targetKind === "video") return `/v/${encodeURIComponent(r.targetId)}`;
  if (r.targetKind === "comment" && r.contextId) return `/v/${encodeURIComponent(r.contextId)}`;
  if (r.channelId && r.targetKind !== "user") return `/channel/${encodeURIComponent(r.channelId)}`;
  return null;
}

/**
 * The review queue: admins see every report; a channel's broadcaster and
 * moderators see its chat and comment reports (`?channel=<id>`, or the
 * signed-in creator's own channel). Each action needs a reason and lands in
 * the audit log; the reporters hear the outcome.
 */
export default function ModerationPage({ query }: PageProps) {
  const me = currentUser.value;
  const admin = me?.roles.includes("admin") ?? false;
  const status = query.get("status") === "resolved" ? "resolved" : "open";
  const view = query.get("view") === "audit" ? "audit" : "queue";
  const kind = query.get("kind") ?? "";
  useEffect(() => {
    if (sessionChecked.value && !me)
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  }, [sessionChecked.value, me]);
  useEffect(() => setTitle("Reports"), []);
  // Not an admin and no channel named: the creator's own channel.
  const channel = useAsync(
    async (signal) => {
      const named = query.get("channel");
      if (named || !me || admin) return named ?? undefined;
      const page = await api("get /api/v1/channels", { query: { ownerId: me.id, limit: 1 }, signal });
      return page.items[0]?.id;
    },
    [query.get("channel"), me?.id, admin],
  );
  const channelId = channel.data;
  const scoped = !!channelId || admin;
  const reports = useAsync(
    async (signal) =>
      scoped && view === "queue"
        ? api("get /api/v1/moderation/reports", {
            query: {
              status,
              ...(channelId ? { channelId } : {}),
              ...(kind ? { targetKind: kind as ReportTarget } : {}),
              limit: 50,
            },
            signal,
          })
        : undefined,
    [scoped, channelId, status, kind, view],
  );
  const audit = useAsync(
    async (signal) =>
      scoped && view === "audit"
        ? api("get /api/v1/moderation/audit", { query: { ...(channelId ? { channelId } : {}), limit: 50 }, signal })
        : undefined,
    [scoped, channelId, view],
  );
  if (!me || channel.loading) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const here = (params: Record<string, string>) => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(params)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    return `/moderation?${q.toString()}`;
  };

  return (
    <div class="page" style={{ maxWidth: "960px" }}>
      <h1>Reports{channelId ? " on your channel" : ""}</h1>
      {!scoped && <Notice kind="warn">You moderate no channel. Reports are for admins and channel moderators.</Notice>}
      <nav class="tabs" aria-label="Review queue">
        <a
          href={here({ view: "", status: "" })}
          aria-current={view === "queue" && status === "open" ? "page" : undefined}
        >
          Open
        </a>
        <a
          href={here({ view: "", status: "resolved" })}
          aria-current={view === "queue" && status === "resolved" ? "page" : undefined}
        >
          Resolved
        </a>
        <a href={here({ view: "audit", status: "" })} aria-current={view === "audit" ? "page" : undefined}>
          Audit log
        </a>
      </nav>
      {view === "queue" && (
        <>
          {reports.error && <Notice kind="error">{describeError(reports.error)}</Notice>}
          {reports.data?.items.length === 0 && <p class="muted">Nothing here. 🎉</p>}
          <ul class="list" data-testid="report-queue">
            {reports.data?.items.map((r) => (
              <ReportRow key={r.id} report={r} admin={admin} onDone={reports.reload} />
            ))}
          </ul>
        </>
      )}
      {view === "audit" && (
        <>
          {audit.error && <Notice kind="error">{describeError(audit.error)}</Notice>}
          <ol class="list" data-testid="audit-log">
            {audit.data?.items.map((a) => (
              <li key={a.id}>
                <span>
                  <strong>{ACTION_LABELS[a.action]}</strong> · {kindLabel(a.targetKind)} ·{" "}
                  <span class="muted">“{a.reason}”</span>
                </span>
                <span class="muted">
                  by <span class="mono">{a.actorId.slice(0, 8)}</span> {timeAgo(a.createdAt)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ReportRow({ report: r, admin, onDone }: { report: ReportView; admin: boolean; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<ModerationAction>("dismiss");
  const link = targetLink(r);
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await api("post /api/v1/moderation/reports/{id}/actions", {
        path: { id: r.id },
        body: {
          action,
          reason: String(data.get("reason") ?? "").trim(),
          ...(action === "timeout" ? { durationS: Number(data.get("minutes")) * 60 } : {}),
        },
      });
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const id = `r-${r.id}`;
  return (
    <li class="queue-item" data-testid="report">
      <div class="row">
        <span class="status-tag">{kindLabel(r.targetKind)}</span>
        <strong>
          {r.reportCount} {r.reportCount === 1 ? "report" : "reports"}
        </strong>
        <span class="muted">last {timeAgo(r.lastReportedAt)}</span>
        {link && <a href={link}>open</a>}
      </div>
      {/* The reported text as it was, rendered as text. */}
      <blockquote data-testid="report-snapshot">{r.snapshot || "(no text)"}</blockquote>
      <div class="reasons">
        {Object.entries(r.reasons).map(([reason, n]) => (
          <span key={reason} class="status-tag">
            {REASON_LABELS[reason as keyof typeof REASON_LABELS] ?? reason} × {n}
          </span>
        ))}
      </div>
      {r.status === "resolved" ? (
        <p class="muted">
          {r.action ? ACTION_LABELS[r.action] : "Resolved"} {r.resolvedAt ? timeAgo(r.resolvedAt) : ""}
          {r.resolutionReason ? `: “${r.resolutionReason}”` : ""}
        </p>
      ) : (
        <form class="row" onSubmit={submit} aria-label={`Act on this ${kindLabel(r.targetKind)} report`}>
          {error && <Notice kind="error">{error}</Notice>}
          <label class="sr-only" for={`${id}-action`}>
            Action
          </label>
          <select
            id={`${id}-action`}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value as ModerationAction)}
          >
            {actionsFor(r, admin).map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
          {action === "timeout" && (
            <>
              <label for={`${id}-minutes`}>Minutes</label>
              <input id={`${id}-minutes`} name="minutes" type="number" min={1} max={20160} defaultValue="10" required />
            </>
          )}
          <label class="sr-only" for={`${id}-reason`}>
            Why
          </label>
          <input id={`${id}-reason`} name="reason" required maxLength={500} placeholder="Why (kept in the audit log)" />
          <button class="btn small primary" type="submit" disabled={busy}>
            Apply
          </button>
        </form>
      )}
    </li>
  );
}
