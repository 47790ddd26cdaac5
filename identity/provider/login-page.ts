import type { DevelopmentUser } from './development-users';

/**
 * The pages of the embedded development identity provider: sign-in, sign-out confirmation and
 * errors. Plain HTML with no script, no external resources and labelled controls.
 */

export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const style = `
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;line-height:1.5;color:#1a1a1a}
.warning{border:3px solid #b00020;background:#fdecea;padding:.75rem 1rem;margin:0 0 1.5rem}
.warning strong{color:#b00020}
.error{border-left:4px solid #b00020;background:#fdecea;padding:.5rem 1rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .6rem;text-align:left}
label{display:block;margin-top:.75rem;font-weight:600}input{font:inherit;padding:.35rem;width:18rem;max-width:100%}
button{font:inherit;margin-top:1rem;padding:.45rem 1.2rem;cursor:pointer}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}`;

const warning = `<p class="warning" id="development-warning"><strong>Development identity provider.</strong>
It signs in made-up development users whose passwords are public. It must never be used in production.</p>`;

/** The page around every screen: the development warning always comes first. */
export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · development identity provider</title>
<style>${style}</style>
</head>
<body>
<main>
${warning}
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

const usersTable = (users: readonly DevelopmentUser[]) => `<table>
<caption>Development users (each password is the username)</caption>
<thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Department</th></tr></thead>
<tbody>
${users
  .map((u) => `<tr><td>${escapeHtml(u.username)}</td><td>${escapeHtml(u.name)}</td><td>${escapeHtml(u.role ?? '(none)')}</td><td>${escapeHtml(u.department ?? '')}</td></tr>`)
  .join('\n')}
</tbody>
</table>`;

export interface LoginPageInput {
  /** Where the form posts to (`/interaction/<uid>/login`). */
  action: string;
  users: readonly DevelopmentUser[];
  /** The application asking for the sign-in (its client_id). */
  client?: string;
  /** Shown above the form after a failed attempt. */
  error?: string;
  username?: string;
}

export function loginPage({ action, users, client, error, username }: LoginPageInput): string {
  const describedBy = error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return layout(
    'Sign in',
    `${client ? `<p>Signing in to <strong>${escapeHtml(client)}</strong>.</p>` : ''}
${error ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" required autofocus autocapitalize="none" spellcheck="false" value="${escapeHtml(username ?? '')}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" required${describedBy}>
<div><button type="submit">Sign in</button></div>
</form>
${usersTable(users)}`,
  );
}

/** RP-initiated logout asks before it ends the session; `form` is the provider's hidden form. */
export const logoutPage = (form: string): string =>
  layout(
    'Sign out?',
    `<p>Sign out of the development identity provider?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );

export const signedOutPage = (): string => layout('Signed out', '<p>You are signed out of the development identity provider.</p>');

export const errorPage = (details: object): string =>
  layout(
    'Something went wrong',
    `<dl>${Object.entries(details)
      .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
      .join('')}</dl>`,
  );
