/**
 * Domains of throwaway-mailbox services. An order from such an address has no lasting contact,
 * which is a common trait of card testing and resale fraud. The list names only large public
 * services, so addresses at many smaller ones pass this rule.
 */
export const DISPOSABLE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  '10minutemail.com',
  'guerrillamail.com',
  'mailinator.com',
  'maildrop.cc',
  'sharklasers.com',
  'temp-mail.org',
  'trashmail.com',
  'yopmail.com',
]);

/** Returns the domain of `email` in lower case when it is a disposable-mail domain. */
export function disposableDomainOf(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return DISPOSABLE_EMAIL_DOMAINS.has(domain) ? domain : undefined;
}
