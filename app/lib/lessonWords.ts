/** The lesson's words: what a heal button says it will do, how a step's action is named. */
import { STRATEGY_LABEL, type Strategy } from '../../server/protocol/wire';

/** "Heal with last write wins": the button says what it will do, not just "Heal". */
export function healLabel(strategy: Strategy): string {
  return `Heal with ${STRATEGY_LABEL[strategy].toLowerCase()}`;
}

/** The step's main action on the strip. */
export function actionLabel(action: 'heal' | 'cut-and-play', strategy: Strategy): string {
  return action === 'heal' ? healLabel(strategy) : 'Cut the link and play';
}

/** "3 of 5 answered". */
export function answeredLine(answered: number, of: number): string {
  return `${answered} of ${of} answered`;
}
