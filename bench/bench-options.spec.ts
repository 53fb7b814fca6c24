import { defaultOptions, parseBenchOptions, scenarioNames } from './bench-options';

describe('parseBenchOptions', () => {
  it('runs every scenario with the quick defaults when given nothing', () => {
    expect(parseBenchOptions([])).toEqual({ ...defaultOptions, scenarios: [...scenarioNames] });
  });

  it('expands groups, keeps the run order and reads the options', () => {
    const options = parseBenchOptions(['closed', 'saga', '--duration=30', '--clients=8', '--no-record']);
    expect(options.scenarios).toEqual(['light', 'open', 'closed']);
    expect(options).toMatchObject({ durationS: 30, clients: 8, record: false, privateBroker: false });
  });

  it('refuses an unknown scenario or a bad value, naming it', () => {
    expect(() => parseBenchOptions(['fast'])).toThrow(/unknown scenario "fast"/);
    expect(() => parseBenchOptions(['--rate=-1'])).toThrow(/bad option --rate=-1/);
    expect(() => parseBenchOptions(['--clients=0'])).toThrow(/bad option --clients=0/);
  });

  it('lets the closed loop run without a warm-up', () => {
    expect(parseBenchOptions(['--warmup=0']).warmupS).toBe(0);
  });
});
