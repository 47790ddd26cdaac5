import { z } from 'zod';

/**
 * Evidence links (photos, files, courier slips) are shown to staff as clickable links and may
 * be fetched by a department's system, so a link must be a web address and nothing else:
 * no `javascript:`, `data:` or `file:`, and never an address of the machine or its network
 * neighbourhood (loopback, link-local — where cloud metadata services answer —, unspecified,
 * and in production the private ranges too).
 */
export type LinkPolicy = 'production' | 'development';

export const maxLinkLength = 2048;

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const loopbackOrUnspecified = [/^127\./, /^0\./, /^localhost$/i, /\.localhost$/i, /^\[::1?\]$/];
// IPv4-mapped IPv6 addresses ([::ffff:a9fe:a9fe] is 169.254.169.254) are refused whole: no web host needs one.
const linkLocal = [/^169\.254\./, /^\[fe[89ab][0-9a-f]?:/i, /^\[::ffff:/i];
const privateRanges = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^\[f[cd][0-9a-f]{2}:/i];

/** Why a link is refused under a policy, or null when it is fine. */
export function linkProblem(link: string, policy: LinkPolicy): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'not a URL';
  }
  const schemes = policy === 'production' ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol)) return `only ${schemes.join(' or ')} links`;
  if (url.username || url.password) return 'no credentials in links';
  const host = url.hostname;
  // The address patterns are for IP literals: `10.example.com` is a name, not 10.0.0.0/8.
  const address = (p: RegExp) => p.test(host) && (ipv4.test(host) || host.startsWith('[') || /localhost/i.test(p.source));
  if (linkLocal.some(address)) return 'no link-local or IPv4-mapped addresses';
  if (policy === 'production' && [...loopbackOrUnspecified, ...privateRanges].some(address)) {
    return 'no loopback or private addresses';
  }
  return null;
}

/**
 * The shape of a link as a pattern, so that the OpenAPI document carries the rule: a scheme,
 * a host name (no credentials, no IP literal: evidence lives on named hosts), an optional
 * port, and visible ASCII after it; in production https only, and no `localhost`.
 */
const linkPattern: Record<LinkPolicy, RegExp> = {
  development: /^https?:\/\/(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?::[0-9]{1,4})?(?:[/?#][\x21-\x7e]*)?$/,
  production: /^https:\/\/(?!(?:[A-Za-z0-9-]+\.)*localhost(?:[:/?#]|$))(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?::[0-9]{1,4})?(?:[/?#][\x21-\x7e]*)?$/,
};

/** One evidence link: the pattern (in the document too), then what only code can check. */
export const evidenceLinkSchema = (policy: LinkPolicy) =>
  z
    .string()
    .max(maxLinkLength)
    .regex(linkPattern[policy], policy === 'production' ? 'an https:// link to a named host' : 'an http:// or https:// link to a named host')
    .superRefine((link, ctx) => {
      const problem = linkProblem(link, policy);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      policy === 'production'
        ? 'An https link without credentials; not a loopback, private, link-local or IPv4-mapped address.'
        : 'An http or https link without credentials; not a link-local or IPv4-mapped address.',
    );
