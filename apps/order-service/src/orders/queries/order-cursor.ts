import { ListingPosition } from '../persistence/order-view.repository';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque cursor that continues a listing after `position`: base64url of `<createdAt ISO>_<id>`. */
export function encodeCursor({ createdAt, id }: ListingPosition): string {
  return Buffer.from(`${createdAt.toISOString()}_${id}`).toString('base64url');
}

/** The position a cursor stands for, or undefined when it is not one this service wrote. */
export function decodeCursor(cursor: string): ListingPosition | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('_');
  if (parts.length !== 2) return undefined;
  const [timestamp, id] = parts;
  const createdAt = new Date(timestamp);
  if (!uuid.test(id) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== timestamp) {
    return undefined;
  }
  return { createdAt, id };
}
