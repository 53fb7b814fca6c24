import { ServiceFacts } from '../services';
import { nameProblem, namesOf, nextFreePort } from './service-names';

const service = (name: string, port: number, database = name): ServiceFacts => ({
  name,
  port,
  database,
  description: name,
  app: `${name}-service`,
  databaseRole: `${name}_service`,
  brokerUser: `${name}-service`,
  environmentPrefix: `${name.toUpperCase()}_SERVICE`,
});
const existing = [
  service('order', 3000, 'orders'),
  service('inventory', 3001),
  service('payment', 3002, 'payments'),
];

describe('namesOf', () => {
  it('spells a hyphenated name for every place it goes', () => {
    expect(namesOf('loyalty-points')).toEqual({
      name: 'loyalty-points',
      app: 'loyalty-points-service',
      pascal: 'LoyaltyPoints',
      camel: 'loyaltyPoints',
      snake: 'loyalty_points',
      environmentPrefix: 'LOYALTY_POINTS_SERVICE',
    });
  });
});

describe('nameProblem', () => {
  it.each(['shipping', 'shipping-service', 'loyalty-points', 'l10n'])('accepts %s', (name) => {
    expect(nameProblem(name, existing)).toBeUndefined();
  });

  it.each([
    ['Shipping', 'is not a service name'],
    ['shipping_fast', 'is not a service name'],
    ['-shipping', 'is not a service name'],
    ['shipping--fast', 'is not a service name'],
    ['2fast', 'is not a service name'],
    ['ship ping', 'is not a service name'],
    ['', 'is not a service name'],
    ['../order', 'is not a service name'],
    ['a'.repeat(31), 'is longer than 30 characters'],
    ['events', 'is reserved'],
    ['order', 'order-service already exists'],
    ['inventory-service', 'inventory-service already exists'],
  ])('refuses %j: %s', (name, problem) => {
    expect(nameProblem(name, existing)).toContain(problem);
  });

  it('refuses a name whose database another service already uses', () => {
    expect(nameProblem('payments', existing)).toContain('payment-service already uses the database payments');
  });
});

describe('nextFreePort', () => {
  it('takes 3004 first, then the lowest free port, skipping the ports compose gives the tools', () => {
    expect(nextFreePort(existing)).toBe(3004);
    expect(nextFreePort([...existing, service('a', 3004), service('b', 3006)])).toBe(3005);
    const upTo3029 = Array.from({ length: 26 }, (_, index) => service(`s${index}`, 3004 + index));
    expect(nextFreePort([...existing, ...upTo3029])).toBe(3031);
  });
});
