/** Sums `messages_consumed_total` samples with the given outcome from a service's `/metrics`; 0 if it does not answer. */
export async function consumedMessages(baseUrl: string, outcome: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) }).catch(
    () => undefined,
  );
  if (!response?.ok) return 0;
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('messages_consumed_total{') && line.includes(`outcome="${outcome}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
