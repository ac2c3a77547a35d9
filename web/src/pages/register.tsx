import { useState } from "preact/hooks";
import { ApiError, api, describeError } from "../api/http";
import { login } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { navigate, type PageProps } from "../router";
import { safeNext } from "./login";

/** Create an account, then log straight in. */
export default function Register({ query }: PageProps) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(query.get("next"));

  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api("post /api/v1/auth/register", {
        body: { email: v.email ?? "", username: v.username ?? "", password: v.password ?? "" },
      });
      await login(v.email ?? "", v.password ?? "");
      navigate(next === "/" ? "/dashboard" : next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors()).length) setErrors(err.fieldErrors());
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page narrow">
      <div class="panel auth-card">
        <h1>Join Arena</h1>
        <form class="form" onSubmit={submit}>
          {error && <Notice kind="error">{error}</Notice>}
          <Field id="email" label="Email" error={errors.email}>
            <input id="email" name="email" type="email" autoComplete="email" required autoFocus />
          </Field>
          <Field
            id="username"
            label="Username"
            hint="3–24 letters, digits or _; this is your public handle."
            error={errors.username}
          >
            <input
              id="username"
              name="username"
              autoComplete="username"
              required
              minLength={3}
              maxLength={24}
              pattern="[A-Za-z0-9_]{3,24}"
            />
          </Field>
          <Field
            id="password"
            label="Password"
            hint="At least 10 characters; a passphrase works well."
            error={errors.password}
          >
            <input id="password" name="password" type="password" autoComplete="new-password" required minLength={10} />
          </Field>
          <button class="btn primary" type="submit" disabled={busy}>
            Create account
          </button>
          <p class="muted">
            Already have an account? <a href="/login">Log in</a>
          </p>
        </form>
      </div>
    </div>
  );
}
