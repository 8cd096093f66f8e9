/**
 * Score ties, broken deterministically (DESIGN.md "Randomness"): kube-scheduler picks uniformly
 * among the top-scoring nodes at random; we rank them by a hash of (seed, pod, node), the same in
 * every engine, so a run is reproducible and a change elsewhere does not reshuffle the choice.
 */

/** 32-bit FNV-1a of `seed`, `pod` and `node`, separated so "a"+"bc" ≠ "ab"+"c". */
export function tieBreakRank(seed: number, pod: string, node: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}\u0000${pod}\u0000${node}`;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
