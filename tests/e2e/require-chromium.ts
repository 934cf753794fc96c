/** Stops the test run early, with one line saying what to do, when there is no Chromium to drive. */
import { HOW_TO_GET_CHROMIUM, findChromium } from './chromium.ts';

if (!findChromium()) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}
