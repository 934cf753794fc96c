import type { ClassSnapshot } from '../../../server/protocol/wire';

/** What every admin section gets: the live class, the clock offset, a way to apply acks, and the alert. */
export interface SectionProps {
  snapshot: ClassSnapshot;
  clockOffset: number;
  update: (change: (s: ClassSnapshot) => ClassSnapshot) => void;
  onError: (message: string) => void;
}

/** Applies a SettingsView ack at once (the broadcast that follows says the same). */
export const withSettings =
  (settings: ClassSnapshot['settings']) =>
  (s: ClassSnapshot): ClassSnapshot => ({ ...s, settings, link: settings.link });
