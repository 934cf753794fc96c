/**
 * Where a class is in its lesson: the step, the question of the moment and its answers, and
 * whether the board may show the heal preview. Presentation, not truth: it lives beside the core
 * (in the realtime adapter's memory, not in the op log), so a restart puts the class back in the
 * lobby while every post survives. Pure reducers over plain data.
 */
import type { HealReport } from '../sim/index.ts';
import { QUESTIONS, type Outcome, type Question, type QuestionId } from './questions.ts';
import { DEFAULT_LESSON, type LessonStep } from './steps.ts';

export type QuestionPhase = 'open' | 'revealed' | 'judged';

export interface AskedQuestion {
  readonly id: QuestionId;
  /** The step it was asked in. */
  readonly step: number;
  /** Server time it was asked: only a heal after it settles it. */
  readonly askedAt: number;
  readonly answers: ReadonlyMap<string, string>;
  readonly phase: QuestionPhase;
  readonly outcome: Outcome | null;
}

export interface LessonState {
  readonly steps: readonly LessonStep[];
  /** -1: the lobby (the lesson has not started). */
  readonly step: number;
  readonly question: AskedQuestion | null;
  /** The board shows the heal preview only once the instructor reveals it. */
  readonly previewShown: boolean;
}

export function createLesson(steps: readonly LessonStep[] = DEFAULT_LESSON): LessonState {
  return { steps, step: -1, question: null, previewShown: false };
}

export type LessonResult<T = LessonState> = { ok: true; state: T } | { ok: false; message: string };

/** Goes to step `index` (-1: back to the lobby): a new step hides the preview and drops the last question. */
export function goTo(lesson: LessonState, index: number): LessonResult {
  if (!Number.isInteger(index) || index < -1 || index >= lesson.steps.length) return { ok: false, message: `The lesson has steps 1 to ${lesson.steps.length}.` };
  const keep = lesson.question !== null && lesson.question.step === index;
  return { ok: true, state: { ...lesson, step: index, question: keep ? lesson.question : null, previewShown: false } };
}

export function currentStep(lesson: LessonState): LessonStep | null {
  return lesson.steps[lesson.step] ?? null;
}

/** Poses the current step's question; asking again starts it afresh. */
export function ask(lesson: LessonState, now: number): LessonResult {
  const id = currentStep(lesson)?.question ?? null;
  if (!id) return { ok: false, message: 'This step has no question to ask.' };
  return { ok: true, state: { ...lesson, previewShown: false, question: { id, step: lesson.step, askedAt: now, answers: new Map(), phase: 'open', outcome: null } } };
}

/** A student's answer, while the question is open; answering again changes it. */
export function answer(lesson: LessonState, participantId: string, option: string): LessonResult {
  const q = lesson.question;
  if (!q || q.phase !== 'open') return { ok: false, message: 'There is no open question right now.' };
  if (!QUESTIONS[q.id].options.some((o) => o.id === option)) return { ok: false, message: 'That is not one of the answers.' };
  const answers = new Map(q.answers);
  answers.set(participantId, option);
  return { ok: true, state: { ...lesson, question: { ...q, answers } } };
}

/** Closes the answers and lets the board show the preview; a question the rule settles is judged now. */
export function reveal(lesson: LessonState): LessonState {
  const q = lesson.question;
  if (!q) return { ...lesson, previewShown: true };
  const byRule = QUESTIONS[q.id].settledBy === 'reveal';
  const phase: QuestionPhase = byRule ? 'judged' : q.phase === 'judged' ? 'judged' : 'revealed';
  return { ...lesson, previewShown: true, question: { ...q, phase, outcome: byRule ? { kind: 'rule' } : q.outcome } };
}

/** A heal happened: the question asked before it is judged by its report (once). */
export function observeHeal(lesson: LessonState, report: HealReport | null): LessonState {
  const q = lesson.question;
  if (!q || !report || q.phase === 'judged' || QUESTIONS[q.id].settledBy !== 'heal' || report.at < q.askedAt) return lesson;
  return { ...lesson, previewShown: false, question: { ...q, phase: 'judged', outcome: { kind: 'heal', report } } };
}

export function questionOf(q: AskedQuestion): Question {
  return QUESTIONS[q.id];
}
