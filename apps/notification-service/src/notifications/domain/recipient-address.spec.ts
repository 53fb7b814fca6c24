import { recipientAddress } from './recipient-address';

describe('recipientAddress', () => {
  describe('when the customer id is an e-mail address', () => {
    it('sends to it unchanged', () => {
      expect(recipientAddress('alice@example.org')).toBe('alice@example.org');
    });
  });

  describe('when the customer id is not an e-mail address', () => {
    it('sends to the id at the customers domain', () => {
      expect(recipientAddress('customer-42')).toBe('customer-42@customers.example.com');
    });

    it('escapes characters an address cannot carry, keeping distinct ids distinct', () => {
      expect(recipientAddress('ann smith')).toBe('ann=20smith@customers.example.com');
      expect(recipientAddress('ann=20smith')).toBe('ann=3D20smith@customers.example.com');
      expect(recipientAddress('zoë')).toBe('zo=C3=AB@customers.example.com');
    });

    it('escapes line breaks and @, so an id cannot add headers or recipients', () => {
      expect(recipientAddress('bob@x\nBcc: eve@example.org')).toBe(
        'bob=40x=0ABcc=3A=20eve=40example=2Eorg@customers.example.com',
      );
    });
  });
});
