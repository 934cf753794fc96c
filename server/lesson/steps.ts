/**
 * The default lesson, as data: the lecture's path through the app, one step at a time. Each step
 * says what it shows the board (a title and one sentence), which core commands put the controls
 * where it needs them, the one action it is for (a heal, a cut), the question the class answers
 * before that action, and which of the board's detail panels it needs. Pure: the realtime adapter
 * runs the commands through the core like any admin command, and tests run them on a bare core.
 */
import { DEFAULT_LINK } from '../sim/step.ts';
import type { Command, DcId, Strategy } from '../sim/index.ts';
import type { BoardPanel } from '../protocol/index.ts';
import type { QuestionId } from './questions.ts';

/** The core commands a step may run: the same ones the admin panel's controls send. */
export type LessonCommand = Extract<Command, { type: 'link.configure' | 'link.mode' | 'clock.skew' | 'consistency.set' | 'strategy.set' }>;


/** What the consensus view does when a step starts or its action runs. */
export type ConsensusCue = 'fresh' | 'play';

export interface LessonAction {
  /** A heal (its button names the strategy it will use), or the Raft step's cut. */
  readonly kind: 'heal' | 'cut-and-play';
  readonly commands: readonly LessonCommand[];
  readonly consensus?: ConsensusCue;
}

export interface LessonStep {
  readonly id: string;
  readonly title: string;
  /** One sentence for the board, readable from the back of the room. */
  readonly sentence: string;
  /** What the instructor can say (the guide in docs/instructor-guide.md repeats it). */
  readonly say: string;
  /** The rule ids the step makes visible. */
  readonly rules: readonly string[];
  /** Run in order when the instructor enters the step. */
  readonly setup: readonly LessonCommand[];
  readonly consensus?: ConsensusCue;
  readonly action: LessonAction | null;
  readonly question: QuestionId | null;
  readonly panels: readonly BoardPanel[];
}

const skew = (dc: DcId, skewMs: number): LessonCommand => ({ type: 'clock.skew', dc, skewMs });
const strategy = (s: Strategy): LessonCommand => ({ type: 'strategy.set', strategy: s });
const quorum = (w: number, r: number): LessonCommand => ({ type: 'consistency.set', w, r });
const link = (mode: 'up' | 'cut'): LessonCommand => ({ type: 'link.mode', mode });
const normalLink: LessonCommand = { type: 'link.configure', latencyMs: DEFAULT_LINK.latencyMs, jitterMs: DEFAULT_LINK.jitterMs };

/** The clock skew of the lesson: East runs 4 s behind, so its later edits lose under LWW (LWW1). */
export const LESSON_SKEW_MS = -4000;

/**
 * "Reset settings": no skew, both sides accept (AP), last write wins, the link up with its
 * default latency. Commands in a row, like the panel's controls, so the log says what happened.
 */
export const SETTINGS_RESET: readonly LessonCommand[] = [
  link('up'),
  normalLink,
  skew('west', 0),
  skew('east', 0),
  quorum(1, 1),
  strategy('lww'),
];

const heal: LessonAction = { kind: 'heal', commands: [link('up')] };

/** The lecture's lesson, in order. */
export const DEFAULT_LESSON: readonly LessonStep[] = [
  {
    id: 'warm-up',
    title: 'Warm-up',
    sentence: 'Post something and like a post: both datacenters get it in a blink.',
    say: 'Everyone joins and posts. West and East each hold a full copy; a post reaches the other side after a short delay.',
    rules: ['NET1'],
    setup: SETTINGS_RESET,
    action: null,
    question: null,
    panels: [],
  },
  {
    id: 'clocks',
    title: 'Out of order, out of sync',
    sentence: 'Messages now take up to 3 s and can overtake each other; East’s clock runs 4 s behind.',
    say: 'Post twice in a row quickly and watch the other side receive them out of order. Clocks disagree too: which one do we trust?',
    rules: ['NET1', 'CLK1'],
    setup: [{ type: 'link.configure', latencyMs: 1500, jitterMs: 1500 }, skew('west', 0), skew('east', LESSON_SKEW_MS)],
    action: null,
    question: null,
    panels: ['timeline'],
  },
  {
    id: 'split-ap',
    title: 'Split-brain',
    sentence: 'The link is cut. Both sides still accept writes: edit the class post!',
    say: 'Both sides accept writes (W = 1): available, not consistent. Edit the class post, like it, edit your own post from both sides.',
    rules: ['NET2', 'CAP2'],
    setup: [normalLink, quorum(1, 1), strategy('lww'), link('cut')],
    action: null,
    question: null,
    panels: [],
  },
  {
    id: 'heal-lww',
    title: 'Heal: last write wins',
    sentence: 'The newest timestamp wins each post. Will your edit survive?',
    say: 'Ask first, reveal the preview, then heal. LWW trusts skewed clocks: East’s later edits can lose, and one side’s likes vanish.',
    rules: ['LWW1', 'LWW2', 'LWW3'],
    setup: [strategy('lww')],
    action: heal,
    question: 'edit-survives',
    panels: [],
  },
  {
    id: 'heal-merge',
    title: 'Split again, merge everything',
    sentence: 'Cut again. This time the heal keeps every version and adds up the likes.',
    say: 'Write and like on both sides again, then heal. Nothing is lost, but a post edited on both sides comes back twice.',
    rules: ['MRG1', 'MRG2', 'MRG3'],
    setup: [strategy('merge'), link('cut')],
    action: heal,
    question: 'likes',
    panels: [],
  },
  {
    id: 'heal-human',
    title: 'Split again, you choose',
    sentence: 'Cut again. Posts edited on both sides wait for their author to choose.',
    say: 'Conflicts are found with version vectors: neither side’s vector dominates. Each author picks; nothing is lost until then.',
    rules: ['VV1', 'HUM1', 'HUM2', 'HUM3'],
    setup: [strategy('human'), link('cut')],
    action: heal,
    question: 'both-edited',
    panels: ['vectors'],
  },
  {
    id: 'cp',
    title: 'Consistency first: [A,B] | [C,D,E]',
    sentence: 'Writes need 3 of 5 nodes. West reaches 2 and refuses; East reaches 3 and goes on.',
    say: 'Strict majority (W = 3, R = 3): West is consistent by refusing. This is the CAP choice: availability or consistency during a partition.',
    rules: ['CAP1', 'CAP2', 'CAP4'],
    setup: [link('up'), quorum(3, 3), link('cut')],
    action: null,
    question: null,
    panels: ['quorum'],
  },
  {
    id: 'raft',
    title: 'Raft vs naive failover',
    sentence: 'A fresh cluster, then the same cut. Which side elects a leader?',
    say: 'Ask, then cut and play. Raft: only the majority elects, in a new term; naive failover promotes a primary on each side.',
    rules: ['RAFT2', 'RAFT3', 'RAFT5'],
    setup: [link('up'), quorum(1, 1)],
    consensus: 'fresh',
    action: { kind: 'cut-and-play', commands: [link('cut')], consensus: 'play' },
    question: 'leader',
    panels: ['consensus'],
  },
  {
    id: 'wrap-up',
    title: 'Truth is negotiated',
    sentence: 'Every side was right about what it saw. Truth came from the rule we chose to heal with.',
    say: 'Recap: LWW loses writes, merge keeps duplicates, human choice asks people; a majority can stay consistent, at the price of the minority.',
    rules: [],
    setup: [link('up')],
    action: null,
    question: null,
    panels: [],
  },
];
