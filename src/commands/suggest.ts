/**
 * Optimal-string-alignment Damerau-Levenshtein distance (insertions, deletions, substitutions and
 * transpositions of adjacent characters), O(a·b) time, O(b) memory. Callers cap the lengths.
 */
export function damerauLevenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prevPrev = new Array<number>(y.length + 1).fill(0);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  let curr = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      curr[j] = d;
    }
    [prevPrev, prev, curr] = [prev, curr, prevPrev];
  }
  return prev[y.length]!;
}

/**
 * The closest candidate to `word`, or undefined when none is close enough: at most 1 edit for words of up
 * to 4 characters, 2 up to 8, 3 beyond (`strict`: see below). Ties go to the earlier candidate (registration order).
 */
export function suggest(word: string, candidates: Iterable<string>, strict = false): string | undefined {
  const w = word.toLowerCase().slice(0, 64);
  // Strict (for free text, where most words are not meant as commands): 1 edit up to 6 characters, 2 beyond,
  // so "stauts" suggests status but "hello" does not suggest help.
  const limit = strict ? (w.length <= 6 ? 1 : 2) : w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = damerauLevenshtein(w, candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
