/**
 * Score ties, broken deterministically (DESIGN.md "Randomness"): kube-scheduler picks uniformly
 * among the top-scoring nodes at random; we rank them by a hash of (seed, pod, node), the same in
 * every engine, so a run is reproducible and a change elsewhere does not reshuffle the choice.
 */

/** 32-bit FNV-1a of `seed`, `pod` and `node`, separated so "a"+"bc" ≠ "ab"+"c". */
export function tieBreakRank(seed: number, pod: string, node: string): number {
  return tieBreakRankFrom(tieBreakPrefix(seed, pod), node);
}

/** The hash after `seed` and `pod` (and their separators): computed once per pod when ranking many nodes. */
export function tieBreakPrefix(seed: number, pod: string): number {
  return fnv(fnv(0x811c9dc5, `${seed}\u0000${pod}`), "\u0000");
}

/** `tieBreakRank` from a pod's prefix. */
export function tieBreakRankFrom(prefix: number, node: string): number {
  return fnv(prefix, node) >>> 0;
}

function fnv(start: number, text: string): number {
  let hash = start;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash;
}
