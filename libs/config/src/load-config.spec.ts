import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import { loadConfig, shownValue, url } from './load-config';

describe('shownValue', () => {
  it('masks the password of a URL, parsable or not, and keeps the rest to say what is wrong', () => {
    expect(shownValue('DATABASE_URL', 'postgres://app:s3cr%t@db:5432/orders')).toBe(
      'got "postgres://app:***@db:5432/orders"',
    );
    expect(shownValue('RABBITMQ_URL', 'amqp//guest:guest@rabbit')).toBe('got "amqp//guest:***@rabbit"');
    expect(shownValue('RABBITMQ_URL', 'http://user:p@ss:w@rd@host:5672')).toBe(
      'got "http://user:***@host:5672"',
    );
    expect(shownValue('DATABASE_URL', 'postgres://app@db/orders')).toBe('got "postgres://app@db/orders"');
  });

  it('shows nothing of a variable named as a secret', () => {
    expect(shownValue('POSTGRES_PASSWORD', 'hunter2')).toBe('set, not shown');
    expect(shownValue('JWT_SECRET', 'x')).toBe('set, not shown');
  });

  it('says when a variable is unset', () => {
    expect(shownValue('PORT', undefined)).toBe('unset');
  });
});

describe('loadConfig', () => {
  const schema = z.object({ RABBITMQ_URL: url(['amqp:', 'amqps:'], 'amqp://localhost') });

  it('names the variable without echoing the password of a malformed URL', () => {
    let error: unknown;
    try {
      loadConfig(schema, { RABBITMQ_URL: 'http://svc:TopSecret-42@rabbit:5672' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('RABBITMQ_URL');
    expect(message).toContain('http://svc:***@rabbit:5672');
    expect(message).not.toContain('TopSecret-42');
  });
});
