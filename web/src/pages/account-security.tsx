import { useState } from "preact/hooks";
import { ApiError, api, describeError } from "../api/http";
import { logout } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { QrCode } from "../components/qr";
import { timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { navigate } from "../router";

type Note = { kind: "ok" | "error" | "warn"; text: string } | null;

/** Password, sessions (revoke one or all) and TOTP two-factor setup with a QR code. */
export function SecurityTab() {
  return (
    <>
      <Sessions />
      <TwoFactor />
      <PasswordChange />
    </>
  );
}

function Sessions() {
  const sessions = useAsync((signal) => api("get /api/v1/auth/sessions", { signal }), []);
  const [note, setNote] = useState<Note>(null);
  const revoke = async (id: string, current: boolean) => {
    try {
      await api("delete /api/v1/auth/sessions/{id}", { path: { id } });
      if (current) {
        await logout();
        navigate("/login");
        return;
      }
      sessions.reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const everywhere = async () => {
    try {
      await api("post /api/v1/auth/logout-all");
    } finally {
      await logout();
      navigate("/login");
    }
  };
  return (
    <section class="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you're logged in</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      {sessions.error && <Notice kind="error">{describeError(sessions.error)}</Notice>}
      <ul class="list" data-testid="sessions">
        {sessions.data?.items.map((s) => (
          <li key={s.id}>
            <div>
              <strong>{s.current ? "This browser" : "Session"}</strong>{" "}
              <span class="muted mono">{s.id.slice(0, 8)}</span>
              <div class="muted">
                started {timeAgo(s.createdAt)} · expires {new Date(s.expiresAt).toLocaleDateString()}
              </div>
            </div>
            <button class="btn small" onClick={() => void revoke(s.id, s.current)}>
              {s.current ? "Log out" : "Revoke"}
            </button>
          </li>
        ))}
      </ul>
      <div class="row end">
        <button class="btn danger" onClick={() => void everywhere()}>
          Log out everywhere
        </button>
      </div>
    </section>
  );
}

function TwoFactor() {
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [showDisable, setShowDisable] = useState(false);

  const start = async () => {
    setNote(null);
    try {
      setSetup(await api("post /api/v1/auth/mfa/setup"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setNote({ kind: "ok", text: "Two-factor authentication is already on." });
        setShowDisable(true);
      } else setNote({ kind: "error", text: describeError(err) });
    }
  };
  const enable = async (e: Event) => {
    e.preventDefault();
    try {
      await api("post /api/v1/auth/mfa/enable", { body: { code: formValues(e).code ?? "" } });
      setSetup(null);
      setNote({ kind: "ok", text: "Two-factor authentication is on. You'll need a code at every login." });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const disable = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    try {
      await api("post /api/v1/auth/mfa/disable", { body: { password: v.password ?? "", code: v.code ?? "" } });
      setShowDisable(false);
      setNote({ kind: "warn", text: "Two-factor authentication is off." });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };

  return (
    <section class="panel" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor authentication</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      {!setup && !showDisable && (
        <div class="row">
          <p class="muted" style={{ flex: 1 }}>
            Protect your account with a one-time code from an authenticator app.
          </p>
          <button class="btn primary" onClick={() => void start()}>
            Set up
          </button>
          <button class="btn ghost" onClick={() => setShowDisable(true)}>
            Turn off…
          </button>
        </div>
      )}
      {setup && (
        <div class="split">
          <QrCode text={setup.otpauthUri} label="QR code for your authenticator app" />
          <form class="form" onSubmit={enable}>
            <p>Scan the code with your authenticator app, or enter this key by hand:</p>
            <code class="mono" data-testid="totp-secret">
              {setup.secret}
            </code>
            <Field id="mfa-code" label="Code from the app">
              <input id="mfa-code" name="code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required />
            </Field>
            <div class="row end">
              <button type="button" class="btn ghost" onClick={() => setSetup(null)}>
                Cancel
              </button>
              <button class="btn primary" type="submit">
                Turn on
              </button>
            </div>
          </form>
        </div>
      )}
      {showDisable && (
        <form class="form" onSubmit={disable}>
          <Field id="mfa-off-password" label="Password">
            <input id="mfa-off-password" name="password" type="password" autoComplete="current-password" required />
          </Field>
          <Field id="mfa-off-code" label="Current code">
            <input id="mfa-off-code" name="code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required />
          </Field>
          <div class="row end">
            <button type="button" class="btn ghost" onClick={() => setShowDisable(false)}>
              Cancel
            </button>
            <button class="btn danger" type="submit">
              Turn off two-factor
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function PasswordChange() {
  const [note, setNote] = useState<Note>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const v = formValues(e);
    try {
      const res = await api("post /api/v1/auth/password", {
        body: { currentPassword: v.currentPassword ?? "", newPassword: v.newPassword ?? "" },
      });
      form.reset();
      setNote({ kind: "ok", text: `Password changed. ${res.revokedSessions} other session(s) were logged out.` });
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <Field id="currentPassword" label="Current password">
        <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field id="newPassword" label="New password" hint="At least 10 characters.">
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
        />
      </Field>
      <div class="row end">
        <button class="btn primary" type="submit">
          Change password
        </button>
      </div>
    </form>
  );
}
