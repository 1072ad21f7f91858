/** One email as the notification service hands it to the email provider. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Provider category for statistics, such as `order-confirmation`. */
  category: string;
  customArgs: { orderId: string } & Record<string, string>;
}

/** One SMS as the notification service hands it to the SMS provider. */
export interface OutgoingSms {
  to: string;
  body: string;
  orderId?: string;
}

/**
 * The email and SMS providers as the service uses them. Each call has already been retried by
 * the adapter's policy when it throws, and failures are thrown as ProviderError.
 */
export interface MessageSenders {
  email: { sendEmail(email: OutgoingEmail): Promise<{ providerMessageId: string }> };
  sms: { sendSms(sms: OutgoingSms): Promise<{ providerMessageId: string }> };
}
