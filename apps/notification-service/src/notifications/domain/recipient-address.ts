import { z } from 'zod';

/** The mail domain that stands in for customers whose id is not an e-mail address. */
export const CUSTOMER_MAIL_DOMAIN = 'customers.example.com';

const emailAddress = z.email();

/**
 * Where a customer's mail goes. The platform knows customers only by id, so an id that is an e-mail address
 * is used as is, and any other id becomes `<id>@customers.example.com`: characters other than letters, digits,
 * `_` and `-` are written as `=XX` (their UTF-8 bytes in hex), which keeps the address valid and unique per id.
 */
export function recipientAddress(customerId: string): string {
  if (emailAddress.safeParse(customerId).success) return customerId;
  const localPart = Array.from(new TextEncoder().encode(customerId))
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return /^[A-Za-z0-9_-]$/.test(character)
        ? character
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `${localPart}@${CUSTOMER_MAIL_DOMAIN}`;
}
