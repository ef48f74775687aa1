/** Keeps the `capacity` smallest items offered (by `compare`), in O(capacity) memory. */
export interface BoundedHeap<T> {
  offer(item: T): void;
  readonly size: number;
  /** The kept items, smallest first. */
  sorted(): T[];
}

/**
 * A bounded max-heap for top-K selection over a stream: the root is the largest kept item, so a new item either
 * replaces it (when smaller) or is dropped, in O(log capacity). `compare` must be a total order for the
 * result not to depend on the order items arrive in.
 */
export function boundedHeap<T>(capacity: number, compare: (a: T, b: T) => number): BoundedHeap<T> {
  const items: T[] = [];
  const limit = Math.max(0, Math.floor(capacity));

  const swap = (i: number, j: number): void => {
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
  };
  const siftUp = (start: number): void => {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (compare(items[index] as T, items[parent] as T) <= 0) return;
      swap(index, parent);
      index = parent;
    }
  };
  const siftDown = (start: number): void => {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let largest = index;
      if (left < items.length && compare(items[left] as T, items[largest] as T) > 0) largest = left;
      if (right < items.length && compare(items[right] as T, items[largest] as T) > 0) largest = right;
      if (largest === index) return;
      swap(index, largest);
      index = largest;
    }
  };

  return {
    offer(item) {
      if (limit === 0) return;
      if (items.length < limit) {
        items.push(item);
        siftUp(items.length - 1);
      } else if (compare(item, items[0] as T) < 0) {
        items[0] = item;
        siftDown(0);
      }
    },
    get size() {
      return items.length;
    },
    sorted() {
      return [...items].sort(compare);
    },
  };
}
