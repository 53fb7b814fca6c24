import { isDatabaseUnavailable } from './transient-error';

describe('telling an unreachable database from a failed query', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['an administrator shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a connection an earlier error left unusable',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a TypeORM wrapper around one',
      Object.assign(new Error('query failed'), { driverError: { code: '57P03' } }),
    ],
  ])('treats %s as unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('treats %s as a real failure', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
