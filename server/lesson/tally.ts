/**
 * Predict, then reveal (PRD1): how many chose each answer, and once the outcome is known, who
 * was right. Pure: answers and an outcome in, counts and names out.
 */
import type { Outcome, Question } from './questions.ts';

export interface Tally {
  /** Every option, in the question's order, with how many chose it. */
  readonly counts: Readonly<Record<string, number>>;
  readonly answered: number;
}

export function tally(question: Question, answers: ReadonlyMap<string, string>): Tally {
  const counts: Record<string, number> = Object.fromEntries(question.options.map((o) => [o.id, 0]));
  let answered = 0;
  for (const option of answers.values()) {
    if (!(option in counts)) continue;
    counts[option] = (counts[option] ?? 0) + 1;
    answered += 1;
  }
  return { counts, answered };
}

export interface Verdict {
  /** Who answered what the outcome turned out to be. */
  readonly right: readonly string[];
  readonly wrong: readonly string[];
  /** The right answer when it is the same for everyone; null when it depends on the person (or is unknown). */
  readonly correct: string | null;
}

/** Who predicted right, in answer order; a person the outcome does not decide for is in neither list. */
export function judge(question: Question, answers: ReadonlyMap<string, string>, outcome: Outcome): Verdict {
  const right: string[] = [];
  const wrong: string[] = [];
  const seen = new Set<string | null>();
  for (const [who, option] of answers) {
    const correct = question.correct(outcome, who);
    seen.add(correct);
    if (correct === null) continue;
    (option === correct ? right : wrong).push(who);
  }
  const shared = answers.size === 0 ? question.correct(outcome, '') : seen.size === 1 ? [...seen][0]! : null;
  return { right, wrong, correct: shared };
}
