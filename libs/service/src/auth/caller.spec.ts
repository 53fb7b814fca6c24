import { Caller, visibleList } from './caller';

const alice: Caller = { subject: 'alice', admin: false };
const admin: Caller = { subject: 'ops', admin: true };
const row = (customerId: string) => ({ customerId, id: `${customerId}-1` });

describe('visibleList', () => {
  it("fetches a customer's list under its own id, whichever filter it gave", async () => {
    const asked: unknown[] = [];
    const fetch = async (filter: object) => (asked.push(filter), [row('alice')]);
    expect(await visibleList(alice, { customerId: 'alice' }, fetch)).toEqual([row('alice')]);
    expect(await visibleList(alice, { orderId: 'o-1' }, fetch)).toEqual([row('alice')]);
    expect(asked).toEqual([
      { orderId: undefined, customerId: 'alice' },
      { orderId: 'o-1', customerId: undefined },
    ]);
  });

  it('is undefined (404) for a customer naming another, without fetching', async () => {
    const fetch = jest.fn(async () => [row('bob')]);
    expect(await visibleList(alice, { customerId: 'bob' }, fetch)).toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("is undefined (404) when an order's rows are someone else's", async () => {
    expect(await visibleList(alice, { orderId: 'o-2' }, async () => [row('bob')])).toBeUndefined();
  });

  it('gives an admin whatever the filter matches', async () => {
    const rows = [row('bob'), row('carol')];
    expect(await visibleList(admin, { customerId: 'bob' }, async () => rows)).toEqual(rows);
    expect(await visibleList(admin, { orderId: 'o-3' }, async () => rows)).toEqual(rows);
  });
});
