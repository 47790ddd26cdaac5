/**
 * Contact details as staff screens and logs show them: enough to recognise, not enough to use
 * (domain.md §6). Pure, so the case views and the notification adapters share it.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

/** The first letter only: never empty, so a masked contact still has a name. */
export function maskName(name: string): string {
  return `${Array.from(name.trim())[0] ?? '*'}***`;
}
