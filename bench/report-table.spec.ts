import { markdownTable } from './report-table';

describe('markdownTable', () => {
  it('pads every column to its widest cell, with an empty target where none is given', () => {
    const table = markdownTable([
      { section: 'a', measure: 'saga p50', value: '41.0 ms', target: '< 50 ms' },
      { section: 'a', measure: 'orders', value: '30.5 orders/s' },
    ]);
    expect(table.split('\n')).toEqual([
      '| section | measure  | value         | ratio / target |',
      '| ------- | -------- | ------------- | -------------- |',
      '| a       | saga p50 | 41.0 ms       | < 50 ms        |',
      '| a       | orders   | 30.5 orders/s |                |',
    ]);
  });
});
