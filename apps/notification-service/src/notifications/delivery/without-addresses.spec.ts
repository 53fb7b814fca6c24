import { withoutAddresses } from './without-addresses';

describe('withoutAddresses', () => {
  it('replaces every e-mail address a mail server quotes', () => {
    expect(
      withoutAddresses(
        "Can't send mail - all recipients were rejected: 550 5.1.1 <alice=2E@customers.example.com>: " +
          'Recipient address rejected (bob@example.org)',
      ),
    ).toBe(
      "Can't send mail - all recipients were rejected: 550 5.1.1 <<address>>: Recipient address rejected (<address>)",
    );
  });

  it('leaves text without addresses as it is', () => {
    expect(withoutAddresses('connect ECONNREFUSED 127.0.0.1:1025')).toBe(
      'connect ECONNREFUSED 127.0.0.1:1025',
    );
  });
});
