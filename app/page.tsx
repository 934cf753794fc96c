import { HomeView } from './HomeView';

/** `/`: an instructor starts a session, a student joins one. */
export default function HomePage() {
  return <HomeView />;
}
