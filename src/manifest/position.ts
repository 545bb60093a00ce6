/**
 * Offsets to 1-based lines and columns. Columns count UTF-16 code units from the line start,
 * which is what editors and GitHub annotations expect for the BMP text manifests hold.
 */

export interface Position {
  line: number;
  column: number;
}

/** Precomputes line starts once per file so each lookup is a binary search. */
export function createLineIndex(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo]! + 1 };
  };
}
