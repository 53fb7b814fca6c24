/** Reads samples out of a Prometheus text exposition (`/metrics`), for tests that count what a service did. */

/** One sample line, `name{label="value",...} value`: its metric name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The sum of the samples of metric `name` whose labels include every one of `labels`; 0 when none does. */
export function sumOfSamples(exposition: string, name: string, labels: Record<string, string> = {}): number {
  return exposition
    .split('\n')
    .map(parseSample)
    .filter((sample): sample is Sample => sample?.name === name)
    .filter((sample) => Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

function parseSample(line: string): Sample | undefined {
  const match = sampleLine.exec(line);
  if (!match) return undefined;
  const [, name, labelText = '', value] = match;
  const labels: Record<string, string> = {};
  for (const [, label, quoted] of labelText.matchAll(labelPair)) {
    labels[label] = quoted.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return { name, labels, value: Number(value) };
}
