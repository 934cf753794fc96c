/** The people of a browser test: an instructor who starts a session, students who join from the front page. */
import { expect, type Browser, type Page } from '@playwright/test';

/** The instructor presses "Start a session" and lands on the admin page, whose URL fragment holds the secret. */
export async function startSession(browser: Browser): Promise<{ instructor: Page; code: string; secret: string }> {
  const instructor = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await instructor.goto('/');
  await instructor.getByRole('button', { name: 'Start a session' }).click();
  await expect(instructor).toHaveURL(/\/admin\/[A-Z0-9]{6}#.+/);
  const url = new URL(instructor.url());
  const code = /\/admin\/([A-Z0-9]{6})/.exec(url.pathname)?.[1] ?? '';
  expect(code).toHaveLength(6);
  return { instructor, code, secret: decodeURIComponent(url.hash.slice(1)) };
}

/** A student on their own laptop or phone: a fresh browser context, joining by code from the front page. */
export async function joinAsStudent(browser: Browser, code: string, name: string, width = 390): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Join code').fill(code);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(new RegExp(`/s/${code}$`));
  await expect(page.getByTestId('my-dc')).toHaveText(/West|East/);
  return page;
}

/** The instructor's two-step link change on the admin page: the mode's button, then "Confirm". */
export async function setLink(admin: Page, button: string): Promise<void> {
  await admin.getByRole('button', { name: button, exact: true }).click();
  await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
}
