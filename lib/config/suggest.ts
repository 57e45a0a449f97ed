/**
 * "Did you mean ...?" suggestions that are only offered when they are likely right.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word`, if it is close enough to be the word the user meant: at most a
 * third of the word's letters edited (at least one), ignoring case. `vpcIdz` -> `vpcIds`,
 * `keyprefix` -> `keyPrefix`, `ap-northeast-9` -> `ap-northeast-1`; `<<` and `defaults` get nothing,
 * rather than an unrelated key.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(lower, candidate.toLowerCase());
    if (cost <= budget && cost < word.length && (!best || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}
