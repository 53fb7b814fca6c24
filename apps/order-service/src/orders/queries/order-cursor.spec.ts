import { decodeCursor, encodeCursor } from './order-cursor';

describe('a listing cursor', () => {
  const position = {
    createdAt: new Date('2025-03-04T05:06:07.089Z'),
    id: '3b241101-e2bb-4255-8caf-4136c566a962',
  };

  it('decodes to the position it was made from', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['an empty cursor', ''],
    ['a bad date', Buffer.from(`yesterday_${position.id}`).toString('base64url')],
    ['a bad id', Buffer.from(`${position.createdAt.toISOString()}_42`).toString('base64url')],
    [
      'extra parts',
      Buffer.from(`${position.createdAt.toISOString()}_${position.id}_x`).toString('base64url'),
    ],
    ['a date that is not ISO', Buffer.from(`2025-03-04_${position.id}`).toString('base64url')],
  ])('is refused when it holds %s', (_, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
