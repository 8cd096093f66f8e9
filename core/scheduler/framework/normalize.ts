/**
 * Score arithmetic shared by plugins (kube-scheduler framework, v1.35). Scores are integers in
 * [0, MAX_NODE_SCORE]; every division truncates, as Go's int64 division does.
 */

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/**
 * helper.DefaultNormalizeScore: scales scores so the highest becomes `maxPriority`
 * (score × max / highest, truncated); `reverse` turns it around (max − scaled). When every score
 * is 0, they stay 0 — or all become `maxPriority` when reversed.
 * Worked example: [2, 5, 0] → [40, 100, 0]; reversed → [60, 0, 100].
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let highest = 0;
  for (const score of scores) if (score > highest) highest = score;
  if (highest === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let index = 0; index < scores.length; index++) {
    const scaled = Math.trunc((maxPriority * (scores[index] as number)) / highest);
    scores[index] = reverse ? maxPriority - scaled : scaled;
  }
}
