import { maskEmail, maskPhone } from '../../domain/contact-mask';

// The masks themselves are pure (domain/contact-mask.ts): the case views use them too.
export { maskEmail, maskPhone };

export function maskAddress(channel: string, to: string): string {
  if (channel === 'sms') return maskPhone(to);
  if (channel === 'email') return maskEmail(to);
  return to;
}
