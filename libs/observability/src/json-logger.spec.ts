import { Writable } from 'node:stream';
import { createRootLogger } from './json-logger';

describe('the root logger', () => {
  it('writes personal fields as [redacted], at the top level and one level down', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createRootLogger('test-service', 'info', sink);
    logger.info({ msg: 'x', orderId: 'o-1', customerId: 'alice', order: { email: 'a@example.org' } });
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ orderId: 'o-1', customerId: '[redacted]', order: { email: '[redacted]' } });
    expect(lines[0]).not.toContain('alice');
  });
});
