import { useState } from "preact/hooks";
import { ApiError, api, describeError } from "../api/http";
import { currentUser, logout } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { useAsync } from "../lib/use-async";
import { navigate } from "../router";
import "../components/community.css";

type Note = { kind: "ok" | "error" | "warn"; text: string } | null;

/** Email confirmation, the data export and account deletion. */
export function DataTab() {
  return (
    <>
      <EmailStatus />
      <ExportData />
      <DeleteAccount />
    </>
  );
}

function EmailStatus() {
  const me = useAsync((signal) => api("get /api/v1/me", { signal }), []);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const resend = async () => {
    setBusy(true);
    try {
      await api("post /api/v1/auth/email/verification");
      setNote({ kind: "ok", text: "A new confirmation link is on its way." });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      {me.data && (
        <div class="row">
          <span>
            Your address is <strong>{me.data.email ?? "not set"}</strong>.
          </span>
          <button class="btn small" onClick={() => void resend()} disabled={busy}>
            Send a new confirmation link
          </button>
        </div>
      )}
    </section>
  );
}

function ExportData() {
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<{ url: string; name: string } | null>(null);
  const run = async () => {
    setBusy(true);
    setNote(null);
    try {
      const archive = await api("get /api/v1/me/export");
      if (file) URL.revokeObjectURL(file.url);
      const blob = new Blob([JSON.stringify(archive, null, 2)], { type: "application/json" });
      const next = { url: URL.createObjectURL(blob), name: `arena-export-${archive.exportedAt.slice(0, 10)}.json` };
      setFile(next);
      setNote({ kind: "ok", text: `Collected from ${Object.keys(archive.services).length} services.` });
      // Start the download right away; the link stays for a second try.
      const a = document.createElement("a");
      a.href = next.url;
      a.download = next.name;
      a.click();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="export-title">
      <h2 id="export-title">Download your data</h2>
      <p class="muted">
        One JSON file with everything Arena holds about you: account, profile, channels, videos, comments, chat,
        follows, notifications and more.
      </p>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <div class="row">
        <button class="btn" onClick={() => void run()} disabled={busy} data-testid="export-data">
          {busy ? "Collecting…" : "Download my data"}
        </button>
        {file && (
          <a href={file.url} download={file.name} data-testid="export-link">
            {file.name}
          </a>
        )}
      </div>
    </section>
  );
}

function DeleteAccount() {
  const user = currentUser.value;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    if (v.confirm !== user?.username) {
      setErrors({ confirm: "Type your username exactly to confirm." });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await api("delete /api/v1/me", {
        body: { password: v.password ?? "", ...(v.totpCode ? { totpCode: v.totpCode } : {}) },
      });
      // The account and its sessions are gone: forget the session here too.
      await logout();
      navigate("/", { replace: true });
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors({ ...fields, _: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete your account</h2>
      <p class="muted">
        This removes your account, channel, videos, clips and comments for good; what others see of your chat messages
        becomes anonymous. Download your data first if you want to keep it.
      </p>
      <form class="form" onSubmit={submit} data-testid="delete-account">
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Field id="del-password" label="Password" error={errors.password}>
          <input id="del-password" name="password" type="password" autoComplete="current-password" required />
        </Field>
        <Field
          id="del-totp"
          label="Two-factor code"
          hint="Only if two-factor authentication is on."
          error={errors.totpCode}
        >
          <input
            id="del-totp"
            name="totpCode"
            inputMode="numeric"
            pattern="[0-9]{6}"
            maxLength={6}
            autoComplete="one-time-code"
          />
        </Field>
        <Field
          id="del-confirm"
          label={`Type your username (${user?.username ?? ""}) to confirm`}
          error={errors.confirm}
        >
          <input id="del-confirm" name="confirm" autoComplete="off" required />
        </Field>
        <div class="row end">
          <button class="btn danger" type="submit" disabled={busy}>
            Delete my account
          </button>
        </div>
      </form>
    </section>
  );
}
