/**
 * `text` with every e-mail address replaced by `<address>`. A mail server's refusal often quotes the
 * recipient, and logs never carry an e-mail address.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g, '<address>');
}
