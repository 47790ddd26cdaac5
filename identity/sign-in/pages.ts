/**
 * The few pages sign-in shows by itself (the web console and portal come later): who is
 * signed in, "no access", and a sign-in that failed. Plain HTML, no script, escaped text.
 */
const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Complaint platform</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}button,a.button{font:inherit;padding:.4rem 1rem;border:1px solid #1a1a1a;border-radius:4px;background:#fff;color:#1a1a1a;text-decoration:none;cursor:pointer}
.note{color:#555}</style></head>
<body><main>${body}</main></body></html>`;
}

/** After sign-in, until the console and portal exist: who you are, and sign out. */
export function signedInPage(who: { name?: string; role: string; department?: string; sub: string }, csrfToken: string): string {
  const role = who.department ? `${who.role} (${who.department})` : who.role;
  return page('Signed in', `<h1>Signed in</h1>
<p>You are signed in as <strong>${escape(who.name ?? who.sub)}</strong>, ${escape(role)}.</p>
<p class="note">Your user id is <code>${escape(who.sub)}</code>. The API answers you at <a href="/api/v1/me">/api/v1/me</a>.</p>
<form method="post" action="/auth/logout"><input type="hidden" name="csrf" value="${escape(csrfToken)}"><button type="submit">Sign out</button></form>`);
}

/** A person the identity provider knows, whose claims name no role of the platform. */
export function noAccessPage(reason: string): string {
  return page('No access', `<h1>No access</h1>
<p>You signed in, but your account has no role on the complaint platform, so there is nothing here for you.</p>
<p class="note">Why: ${escape(reason)}. Ask your administrator to give your account one of the roles consumer, agent, department (with its department), supervisor or ops.</p>
<p><a class="button" href="/auth/login?prompt=login">Sign in as someone else</a></p>`);
}

/** Sign-in could not finish: the provider is away, or the answer was not valid. */
export function signInFailedPage(reason: string): string {
  return page('Sign-in failed', `<h1>Sign-in failed</h1>
<p>${escape(reason)}</p>
<p><a class="button" href="/auth/login">Try again</a></p>`);
}

/** After sign-out (when the provider offers no logout of its own). */
export function signedOutPage(): string {
  return page('Signed out', `<h1>Signed out</h1><p>You have signed out.</p><p><a class="button" href="/auth/login">Sign in</a></p>`);
}
