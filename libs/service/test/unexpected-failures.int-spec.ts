import { join } from 'node:path';
import { freePort, httpClient, ServiceProcess, startFixture, waitFor } from '@platform/testing';

const kinds = ['undefined', 'null', 'string', 'number', 'object', 'bare-object', 'error'];
const places = ['in-controller', 'in-command', 'in-query'];

/** How the log tells what each kind of failure threw. */
const described: Record<string, string> = {
  undefined: 'undefined',
  null: 'null',
  string: 'the string "a plain string"',
  number: 'the number 42',
  object: 'an object {"code":"E_PLAIN","detail":"a plain object"}',
  'bare-object': 'an object {}',
};
const thrownAs = (kind: string) =>
  kind === 'error'
    ? 'Error: an ordinary Error'
    : `NonErrorThrown: ${described[kind]} was thrown instead of an Error`;

/** SPEC section 4: an exception in any handler never crashes the process, whatever it throws. */
describe('a handler that fails with something that is not an Error', () => {
  let service: ServiceProcess;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    service = await startFixture(
      join(__dirname, 'fixtures/failing-handlers.service.ts'),
      { PORT: String(await freePort()), LOG_LEVEL: 'info' },
      '/alive',
    );
    http = httpClient(service.url);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
  });

  const logged = (level: string, message: string) =>
    service.logs.some((line) => {
      const entry = line.startsWith('{') ? (JSON.parse(line) as { level?: string; msg?: string }) : {};
      return entry.level === level && entry.msg === message;
    });

  describe.each(places)('%s', (place) => {
    it.each(kinds)('answers a JSON 500 for %s and logs what was thrown, and where', async (kind) => {
      const answer = await http.get(`/fail/${kind}/${place}`);

      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'unexpected error; it has been logged',
      });
      const message = `unexpected error in GET /fail/:kind/${place}: ${thrownAs(kind)}`;
      await waitFor(`"${message}" in the log`, () => logged('error', message));
    });
  });

  describe('when work a handler started and did not await fails', () => {
    it.each(kinds)('logs the rejection with %s and goes on serving', async (kind) => {
      expect((await http.get(`/fail/${kind}/in-background`)).status).toBe(202);
      const what = kind === 'error' ? 'Error: an ordinary Error' : described[kind];
      const message = `unhandled rejection, still serving: ${what}`;
      await waitFor(`"${message}" in the log`, () => logged('error', message));

      expect(service.process.exitCode).toBeNull();
      expect((await http.get('/alive')).status).toBe(200);
    });
  });

  it('is still running after all of it', async () => {
    expect(service.process.exitCode).toBeNull();
    expect((await http.get('/alive')).text).toBe('alive');
  });
});
