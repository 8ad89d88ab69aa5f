/**
 * Attribute the items of one sequence to the owners of the items of another, by an edit-distance
 * alignment: used to map a synthesizer's phones (or words) in a whole sentence onto the words
 * (or text tokens) they belong to, when the synthesizer reports the sentence's phones with times
 * but not which word each came from.
 *
 * `owned` is the concatenation of every owner's items as said in isolation, each tagged with its
 * owner (0-based, non-decreasing); `seen` is what the sentence said. Items that match anchor the
 * mapping. A run of unmatched sentence items between two anchors goes to the owners whose own
 * items are unmatched in the same stretch (in order, in proportion to their unmatched counts);
 * with none there, to the owner of the anchor before the run (or after it, at the start).
 * Context changes a word's phones ("the" before a vowel) or a token's words ("1500" read as
 * "fifteen hundred" alone, "one thousand five hundred" in a sentence); the anchors on both
 * sides keep such changes inside the right owner.
 */

export function attribute(owned: readonly { item: string; owner: number }[], seen: readonly string[]): number[] {
  const n = owned.length;
  const m = seen.length;
  // cost[i][j]: edit distance between owned[0..i) and seen[0..j)
  const cost = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 0; i <= n; i++) cost[at(i, 0)] = i;
  for (let j = 0; j <= m; j++) cost[at(0, j)] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = cost[at(i - 1, j - 1)] + (owned[i - 1].item === seen[j - 1] ? 0 : 1);
      cost[at(i, j)] = Math.min(sub, cost[at(i - 1, j)] + 1, cost[at(i, j - 1)] + 1);
    }
  }
  // Trace back the matches only (equal items on the diagonal); everything else is resolved by span.
  const matchOf: number[] = new Array(m).fill(-1); // seen index -> owned index
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const same = owned[i - 1].item === seen[j - 1];
    if (cost[at(i, j)] === cost[at(i - 1, j - 1)] + (same ? 0 : 1)) {
      if (same) matchOf[j - 1] = i - 1;
      i--;
      j--;
    } else if (cost[at(i, j)] === cost[at(i - 1, j)] + 1) i--;
    else j--;
  }

  const result: number[] = new Array(m).fill(-1);
  let prevSeen = -1;
  let prevOwned = -1;
  const fill = (seenEnd: number, ownedEnd: number) => {
    const from = prevSeen + 1;
    const count = seenEnd - from;
    if (count <= 0) return;
    // Owners with unmatched items strictly between the anchors, with how many.
    const counts = new Map<number, number>();
    for (let k = prevOwned + 1; k < ownedEnd; k++) counts.set(owned[k].owner, (counts.get(owned[k].owner) ?? 0) + 1);
    if (counts.size === 0) {
      const owner = prevOwned >= 0 ? owned[prevOwned].owner : ownedEnd < n ? owned[ownedEnd].owner : 0;
      for (let k = 0; k < count; k++) result[from + k] = owner;
      return;
    }
    const owners = [...counts.keys()];
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let acc = 0;
    let k = 0;
    for (const o of owners) {
      acc += counts.get(o)!;
      const until = Math.round((acc / total) * count);
      for (; k < until; k++) result[from + k] = o;
    }
  };
  for (let s = 0; s < m; s++) {
    if (matchOf[s] < 0) continue;
    fill(s, matchOf[s]);
    result[s] = owned[matchOf[s]].owner;
    prevSeen = s;
    prevOwned = matchOf[s];
  }
  fill(m, n);
  return result;
}
