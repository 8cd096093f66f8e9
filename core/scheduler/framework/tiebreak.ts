/**
 * Score ties, broken deterministically (DESIGN.md "Randomness"): kube-scheduler picks uniformly
 * among the top-scoring nodes at random; we rank them by a hash of (seed, pod, node), the same in
 * every engine, so a run is reproducible and a change elsewhere does not reshuffle the choice.
 *
 * The rank is `mix(prefix(seed, pod) XOR nodeHash(node))`: FNV-1a of the seed and pod, FNV-1a of
 * the node name, and MurmurHash3's 32-bit finalizer over the two. The node's part does not depend
 * on the pod, so the fast engine keeps it beside each node and ranks a node in a few
 * multiplications: kube's sampling compares hundreds of tied nodes per pod in a uniform cluster.
 * The finalizer spreads every bit of its input over the output, so each pod orders the nodes
 * differently.
 */

/** A node's rank among the tied nodes for pod `pod` under `seed` (a 32-bit unsigned integer; lowest wins). */
export function tieBreakRank(seed: number, pod: string, node: string): number {
  return tieBreakRankOf(tieBreakPrefix(seed, pod), nodeTieHash(node));
}

/** The pod's part: FNV-1a of "seed\0pod", computed once per pod when ranking many nodes. */
export function tieBreakPrefix(seed: number, pod: string): number {
  return fnv(0x811c9dc5, `${seed}\u0000${pod}`);
}

/** The node's part: FNV-1a of its name (the same for every pod, so it can be kept per node). */
export function nodeTieHash(node: string): number {
  return fnv(0x811c9dc5, node) >>> 0;
}

/** The rank from the two parts. */
export function tieBreakRankOf(prefix: number, nodeHash: number): number {
  let hash = prefix ^ nodeHash;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function fnv(start: number, text: string): number {
  let hash = start;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash;
}
