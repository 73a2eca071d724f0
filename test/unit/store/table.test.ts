/**
 * readPage (functions/store/table.ts): a page filled across reads of a query whose filter
 * passes items by, on a stand-in query over numbered items: where the next page resumes
 * after a full page, at the end, and after a short page when the reads ran out.
 */
import { maxPageReads, readPage } from '../../../functions/store/table.js';

type Item = { pk: string; sk: string; n: number };

/** A query over items 1..count, `wanted` looked at per read, keeping those `keeps` passes. */
function standIn(count: number, keeps: (n: number) => boolean) {
  const reads: number[] = [];
  const read = async (startKey: Record<string, unknown> | undefined, wanted: number) => {
    const from = startKey ? Number(startKey.sk) + 1 : 1;
    const seen = Array.from({ length: Math.max(0, Math.min(wanted, count - from + 1)) }, (_, i) => from + i);
    reads.push(seen.length);
    const last = seen.at(-1);
    return {
      items: seen.filter(keeps).map((n): Item => ({ pk: 'p', sk: String(n), n })),
      ...(last !== undefined && last < count ? { lastKey: { pk: 'p', sk: String(last) } } : {}),
    };
  };
  return { read, reads };
}

const page = (count: number, keeps: (n: number) => boolean, limit: number, startKey?: Record<string, unknown>) => {
  const { read, reads } = standIn(count, keeps);
  return readPage(read, { limit, startKey, keyAttributes: ['pk', 'sk'] }).then((result) => ({ ...result, reads }));
};

test('a full page resumes after its last item, known to have a successor by reading one item past it', async () => {
  // Act
  const result = await page(10, () => true, 3);
  // Assess
  expect(result.items.map((item) => item.n)).toEqual([1, 2, 3]);
  expect(result.lastKey).toEqual({ pk: 'p', sk: '3' });
  expect(result.reads).toEqual([4]);
});

test('a page that reaches the end says so: no lastKey', async () => {
  // Act
  const result = await page(4, () => true, 4);
  // Assess
  expect(result.items.map((item) => item.n)).toEqual([1, 2, 3, 4]);
  expect(result.lastKey).toBeUndefined();
});

test('a filter is made up for by further reads, each asking for what is still missing', async () => {
  // Act
  const result = await page(30, (n) => n % 3 === 0, 3);
  // Assess
  expect(result.items.map((item) => item.n)).toEqual([3, 6, 9]);
  expect(result.lastKey).toEqual({ pk: 'p', sk: '9' });
  expect(result.reads).toEqual([4, 3, 2, 1, 1, 1]);
});

test('when the reads run out before the page is full, the page is short and resumes where the reading stopped', async () => {
  // Act
  const result = await page(1000, (n) => n === 999, 2);
  const next = await page(1000, (n) => n === 999, 2, result.lastKey);
  // Assess
  expect(result.reads).toHaveLength(maxPageReads);
  expect(result.items).toEqual([]);
  expect(result.lastKey).toEqual({ pk: 'p', sk: String(3 * maxPageReads) });
  expect(next.items).toEqual([]);
  expect(next.lastKey).toEqual({ pk: 'p', sk: String(6 * maxPageReads) });
});
