/** Datacenters and the link between them, as the pictures and sentences need them. */
import { DC_LABEL, type LinkMode } from '../../server/protocol/wire';

export { holdsFrom, isCutMode, otherDc } from '../../server/protocol/wire';

/** The look a mode gives to pictures of the link: one for cut, one-way, slow and up. */
export function linkLook(mode: LinkMode): 'up' | 'slow' | 'cut' | 'one-way' {
  if (mode === 'cut') return 'cut';
  if (mode === 'up' || mode === 'slow') return mode;
  return 'one-way';
}

/** A short name for a timeline band or a table cell. */
export function shortModeLabel(mode: LinkMode): string {
  switch (mode) {
    case 'up':
      return 'Link up';
    case 'slow':
      return 'Slow link';
    case 'cut':
      return 'Split';
    case 'cut-west-to-east':
      return `${DC_LABEL.west} → ${DC_LABEL.east} cut`;
    case 'cut-east-to-west':
      return `${DC_LABEL.east} → ${DC_LABEL.west} cut`;
    default: {
      const unknown: never = mode;
      throw new Error(`unknown link mode ${String(unknown)}`);
    }
  }
}
