import { maskUrlAttributes, withoutPersonalData } from './personal-data';

describe('URLs as spans record them', () => {
  it.each([
    ['/orders?customerId=alice&limit=5', '/orders?customerId=*&limit=*'],
    ['/accounts/alice', '/accounts/{customerId}'],
    ['http://localhost:3002/accounts/a%40b.org?x=1', 'http://localhost:3002/accounts/{customerId}?x=*'],
    ['/orders/3b241101-e2bb-4255-8caf-4136c566a962', '/orders/3b241101-e2bb-4255-8caf-4136c566a962'],
    ['/payments?', '/payments?'],
  ])('%s is recorded as %s', (url, recorded) => {
    expect(withoutPersonalData(url)).toBe(recorded);
  });

  it('masks every URL attribute and leaves the others', () => {
    const attributes: Record<string, unknown> = {
      'url.full': 'http://h/notifications?customerId=bob',
      'url.query': 'customerId=bob',
      'http.target': '/accounts/bob',
      'http.route': '/accounts/:customerId',
    };
    maskUrlAttributes(attributes);
    expect(attributes).toEqual({
      'url.full': 'http://h/notifications?customerId=*',
      'url.query': 'customerId=*',
      'http.target': '/accounts/{customerId}',
      'http.route': '/accounts/:customerId',
    });
  });
});
