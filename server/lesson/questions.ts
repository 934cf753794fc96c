/**
 * Predict, then reveal: the questions a lesson asks before a heal or a cut, and how the answer
 * is judged once the outcome is known. Pure: the tally takes answers and an outcome, nothing else.
 */
import type { DcId, HealReport } from '../sim/index.ts';
import { PINNED_POST_ID } from '../sim/types.ts';

export const QUESTION_IDS = ['edit-survives', 'likes', 'both-edited', 'leader'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

export interface QuestionOption {
  readonly id: string;
  readonly label: string;
}

/** What decides who was right: the heal that follows, or the rule itself (Raft: RAFT2). */
export type Outcome = { readonly kind: 'heal'; readonly report: HealReport } | { readonly kind: 'rule' };

export interface Question {
  readonly id: QuestionId;
  readonly text: string;
  readonly options: readonly QuestionOption[];
  /** 'heal': judged by the next heal's report; 'reveal': judged as soon as it is revealed. */
  readonly settledBy: 'heal' | 'reveal';
  /** The right option for one person, or null when the outcome does not decide it. */
  correct(outcome: Outcome, participantId: string): string | null;
}

const winnerOfPinned = (report: HealReport): DcId | null => {
  const lost = report.lost.find((l) => l.postId === PINNED_POST_ID);
  return lost ? lost.winner.dc : null;
};

export const QUESTIONS: Readonly<Record<QuestionId, Question>> = {
  'edit-survives': {
    id: 'edit-survives',
    text: 'Will your edits survive the heal?',
    options: [
      { id: 'yes', label: 'Yes, all of them' },
      { id: 'no', label: 'No, some will be lost' },
    ],
    settledBy: 'heal',
    correct: (outcome, who) => {
      if (outcome.kind !== 'heal') return null;
      return outcome.report.lost.some((l) => l.lost.by === who && l.lost.kind !== 'like' && l.lost.kind !== 'unlike') ? 'no' : 'yes';
    },
  },
  likes: {
    id: 'likes',
    text: 'How many likes will the class post have after the heal?',
    options: [
      { id: 'west', label: 'West’s count' },
      { id: 'east', label: 'East’s count' },
      { id: 'both', label: 'Both sides’ likes together' },
    ],
    settledBy: 'heal',
    correct: (outcome) => {
      if (outcome.kind !== 'heal') return null;
      const { report } = outcome;
      if (report.strategy !== 'lww') return 'both';
      return winnerOfPinned(report);
    },
  },
  'both-edited': {
    id: 'both-edited',
    text: 'What happens to a post edited on both sides?',
    options: [
      { id: 'one', label: 'One version wins' },
      { id: 'two', label: 'Both stay, as two posts' },
      { id: 'choose', label: 'Its author chooses' },
    ],
    settledBy: 'heal',
    correct: (outcome) => {
      if (outcome.kind !== 'heal') return null;
      switch (outcome.report.strategy) {
        case 'lww':
          return 'one';
        case 'merge':
          return 'two';
        case 'human':
          return 'choose';
        default: {
          const unknown: never = outcome.report.strategy;
          return String(unknown);
        }
      }
    },
  },
  leader: {
    id: 'leader',
    text: 'After the cut, which side elects a leader?',
    options: [
      { id: 'west', label: 'West (A, B)' },
      { id: 'east', label: 'East (C, D, E)' },
      { id: 'both', label: 'Both sides' },
      { id: 'neither', label: 'Neither' },
    ],
    settledBy: 'reveal',
    // RAFT2: only the majority can gather 3 votes of 5.
    correct: () => 'east',
  },
};
