import { DeliveryBatches } from './delivery-batches';

/** A batch handler whose batches finish only when the test says so. */
function controlled() {
  const batches: Array<{ items: string[]; finish(): void; fail(error: Error): void }> = [];
  const handle = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({
        items,
        finish: () => resolve(items.map((item) => `${item}:done`)),
        fail: reject,
      });
    });
  return { batches, handle };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryBatches', () => {
  it('gives each delivery its own batch while a slot is free', async () => {
    const { batches, handle } = controlled();
    const group = new DeliveryBatches(2, 10, handle);
    const first = group.submit('a');
    const second = group.submit('b');
    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b']]);
    batches.forEach((batch) => batch.finish());
    await expect(Promise.all([first, second])).resolves.toEqual(['a:done', 'b:done']);
  });

  it('groups what waited for a busy slot, in arrival order and at most maxBatch at a time', async () => {
    const { batches, handle } = controlled();
    const group = new DeliveryBatches(1, 3, handle);
    const results = ['a', 'b', 'c', 'd', 'e'].map((item) => group.submit(item));
    expect(group.backlog).toBe(4);
    batches[0].finish();
    await settled();
    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b', 'c', 'd']]);
    batches[1].finish();
    await settled();
    expect(batches[2].items).toEqual(['e']);
    batches[2].finish();
    await expect(Promise.all(results)).resolves.toEqual(['a:done', 'b:done', 'c:done', 'd:done', 'e:done']);
  });

  it('never groups a delivery submitted alone with others', async () => {
    const { batches, handle } = controlled();
    const group = new DeliveryBatches(1, 10, handle);
    const results = [
      group.submit('a'),
      group.submit('b'),
      group.submit('redelivered', { alone: true }),
      group.submit('c'),
      group.submit('d'),
    ];
    for (let step = 0; step < 4; step += 1) {
      batches[step].finish();
      await settled();
    }
    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b'], ['redelivered'], ['c', 'd']]);
    await Promise.all(results);
  });

  it("rejects every delivery of a failed batch with the batch's error and frees its slot", async () => {
    const { batches, handle } = controlled();
    const group = new DeliveryBatches(1, 10, handle);
    const first = group.submit('a');
    const waiting = [group.submit('b'), group.submit('c')];
    batches[0].finish();
    await first;
    await settled();
    batches[1].fail(new Error('database gone'));
    await Promise.all(waiting.map((result) => expect(result).rejects.toThrow('database gone')));
    await settled();
    const after = group.submit('d');
    batches[2].finish();
    await expect(after).resolves.toBe('d:done');
  });

  it('rejects a batch whose handler returns a result per item short', async () => {
    const group = new DeliveryBatches(1, 10, async (items: string[]) => items.slice(1));
    await expect(group.submit('a')).rejects.toThrow('wrong count');
  });

  it('refuses a size below one', () => {
    expect(() => new DeliveryBatches(0, 1, async () => [])).toThrow('at least 1');
    expect(() => new DeliveryBatches(1, 0, async () => [])).toThrow('at least 1');
  });
});
