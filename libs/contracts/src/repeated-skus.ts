/** A line of an order that names the same sku as an earlier line. */
export interface RepeatedSku {
  /** Position of the repeating line (0-based). */
  readonly index: number;
  /** Position of the first line with that sku. */
  readonly firstIndex: number;
  readonly sku: string;
}

/**
 * Every line that repeats the sku of an earlier line, in line order. Each sku goes on one line of an order:
 * inventory prices and holds stock per sku, and the order saga matches its reply line by line.
 */
export function repeatedSkus(lines: ReadonlyArray<{ readonly sku: string }>): RepeatedSku[] {
  const firstIndexOf = new Map<string, number>();
  const repeated: RepeatedSku[] = [];
  lines.forEach(({ sku }, index) => {
    const firstIndex = firstIndexOf.get(sku);
    if (firstIndex === undefined) firstIndexOf.set(sku, index);
    else repeated.push({ index, firstIndex, sku });
  });
  return repeated;
}
