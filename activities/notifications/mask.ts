/** Recipients as logs and staff screens show them: enough to recognise, not enough to use. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

export function maskAddress(channel: string, to: string): string {
  if (channel === 'sms') return maskPhone(to);
  if (channel === 'email') return maskEmail(to);
  return to;
}
