import { Payment } from './payment';
import { refund } from './refund';

const captured: Payment = {
  id: '7a3c1c2e-7a3e-4f0b-9d0e-1f2a3b4c5d6e',
  orderId: '0b8f4f7e-2c1d-4b5a-8e9f-0a1b2c3d4e5f',
  customerId: 'alice',
  amount: 2_599,
  status: 'CAPTURED',
  reason: null,
};

describe('refund', () => {
  describe('when the payment was captured', () => {
    it('marks it refunded and keeps the amount to give back', () => {
      expect(refund(captured)).toEqual({ refunded: true, payment: { ...captured, status: 'REFUNDED' } });
    });
  });

  describe('when there is nothing to give back', () => {
    it('leaves a refunded payment as it is', () => {
      expect(refund({ ...captured, status: 'REFUNDED' })).toEqual({
        refunded: false,
        reason: 'the payment is REFUNDED',
      });
    });

    it('leaves a declined payment as it is', () => {
      const declined: Payment = { ...captured, status: 'DECLINED', reason: 'INSUFFICIENT_CREDIT' };
      expect(refund(declined)).toEqual({ refunded: false, reason: 'the payment is DECLINED' });
    });

    it('does nothing for an order that was never charged', () => {
      expect(refund(undefined)).toEqual({ refunded: false, reason: 'no payment was recorded for the order' });
    });
  });
});
