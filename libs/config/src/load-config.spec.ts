import { z } from 'zod';
import { ConfigurationError } from './configuration-error';
import { loadConfig, shownValue, url, urlList } from './load-config';

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

  it('masks the password of every URL of a list', () => {
    expect(shownValue('RABBITMQ_URL', 'amqp://svc:one@a:5672,amqp://svc:two@b:5672')).toBe(
      'got "amqp://svc:***@a:5672,amqp://svc:***@b:5672"',
    );
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

describe('urlList', () => {
  const schema = z.object({ RABBITMQ_URL: urlList(['amqp:', 'amqps:'], 'amqp://localhost') });
  const load = (value?: string) => loadConfig(schema, { RABBITMQ_URL: value }).RABBITMQ_URL;
  const failure = (value: string) => {
    try {
      load(value);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`${value} was accepted`);
  };

  it('takes one URL, or the nodes of a cluster separated by commas, in order', () => {
    expect(load()).toEqual(['amqp://localhost']);
    expect(load('amqp://svc:pw@rabbit-0:5672')).toEqual(['amqp://svc:pw@rabbit-0:5672']);
    expect(load(' amqp://svc:pw@rabbit-0:5672 , amqps://svc:pw@rabbit-1:5671,')).toEqual([
      'amqp://svc:pw@rabbit-0:5672',
      'amqps://svc:pw@rabbit-1:5671',
    ]);
  });

  it('refuses a list with a URL of another protocol, or nodes logged in as different users', () => {
    expect(failure('amqp://a@x,http://a@y')).toMatch(/RABBITMQ_URL: must be a URL starting with amqp:/);
    expect(failure('amqp://svc:pw@x,amqp://other:pw@y')).toContain(
      'must log in as the same user on every node',
    );
  });
});
