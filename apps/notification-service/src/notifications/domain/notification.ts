/** What a customer is told about: one notification per order that reached a terminal state. */
export const notificationTypes = ['ORDER_CONFIRMED', 'ORDER_CANCELLED'] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** PENDING until a channel accepts it (SENT) or every attempt has failed (FAILED). */
export const notificationStatuses = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/** The rendered text of a notification, fixed when the order's outcome is recorded. */
export interface NotificationText {
  subject: string;
  body: string;
}

/** A notification to record for an order, waiting to be delivered. */
export interface NewNotification extends NotificationText {
  orderId: string;
  customerId: string;
  /** Where mail may go: the address the customer's token vouched for, or null (then it is not mailed). */
  recipient: string | null;
  type: NotificationType;
  channel: string;
}

/** A pending notification claimed for delivery, with the attempts already made. */
export interface DueNotification extends NotificationText {
  id: string;
  orderId: string;
  customerId: string;
  recipient: string | null;
  type: NotificationType;
  attempts: number;
  /** W3C trace context of the order's trace, which its delivery continues. */
  trace: Record<string, string>;
}

/** How one delivery attempt ended, as the dispatcher reports it back to storage. */
export type DeliveryOutcome =
  | { id: string; status: 'SENT'; channel: string }
  | { id: string; status: 'PENDING'; retryInMs: number; error: string }
  | { id: string; status: 'FAILED'; error: string };

/** A notification as listed over HTTP. */
export interface NotificationSummary {
  id: string;
  orderId: string;
  customerId: string;
  type: NotificationType;
  channel: string;
  status: NotificationStatus;
  createdAt: Date;
}
