import { expect, test } from './fixtures.ts';
import { joinAsStudent, startSession } from './classroom.ts';

test('[SEC4] a classroom joins by code, posts across datacenters, likes, and the board shows both sides', async ({ browser }, testInfo) => {
  const { instructor, code } = await startSession(browser);

  const wendy = await joinAsStudent(browser, code, 'Wendy');
  const ed = await joinAsStudent(browser, code, 'Ed');
  await expect(wendy.getByTestId('my-dc')).toHaveText(/West/);
  await expect(ed.getByTestId('my-dc')).toHaveText(/East/);
  // The instructor sees both people with their datacenters.
  await expect(instructor.getByRole('cell', { name: 'Wendy', exact: true })).toBeVisible();
  await expect(instructor.getByRole('cell', { name: 'Ed', exact: true })).toBeVisible();

  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);
  await expect(board.getByTestId('join-code')).toHaveText(code);

  // Wendy posts in West; Ed sees it in East once it has crossed the link.
  await wendy.getByLabel('Write a post').fill('Hello from West');
  await wendy.getByRole('button', { name: 'Post' }).click();
  const onWendy = wendy.getByTestId('post').filter({ hasText: 'Hello from West' });
  await expect(onWendy).toBeVisible();
  const onEd = ed.getByTestId('post').filter({ hasText: 'Hello from West' });
  await expect(onEd).toBeVisible();

  // Ed likes it; the like crosses back to West.
  await onEd.getByRole('button', { name: 'Like' }).click();
  await expect(onEd.getByTestId('like-count')).toHaveText('1');
  await expect(onWendy.getByTestId('like-count')).toHaveText('1');

  // [SEC4] Post text is text: markup arrives on the other side as characters, never as HTML.
  const markup = '<img src=x onerror="window.__pwned=1"><b>bold?</b>';
  await wendy.getByLabel('Write a post').fill(markup);
  await wendy.getByRole('button', { name: 'Post' }).click();
  const asText = ed.getByTestId('post').filter({ hasText: markup });
  await expect(asText).toBeVisible();
  await expect(asText.locator('b, img')).toHaveCount(0);
  expect(await ed.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // The board shows the post in both columns.
  await expect(board.getByTestId('column-west').getByText('Hello from West')).toBeVisible();
  await expect(board.getByTestId('column-east').getByText('Hello from West')).toBeVisible();

  await testInfo.attach('student (West, 390 px)', { body: await wendy.screenshot({ fullPage: true }), contentType: 'image/png' });
  await testInfo.attach('student (East, 390 px)', { body: await ed.screenshot({ fullPage: true }), contentType: 'image/png' });
  await testInfo.attach('board (1920x1080)', { body: await board.screenshot(), contentType: 'image/png' });
  await testInfo.attach('admin', { body: await instructor.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('a reload keeps a student their identity and datacenter', async ({ browser }) => {
  const { code } = await startSession(browser);
  const first = await joinAsStudent(browser, code, 'Wendy');
  const second = await joinAsStudent(browser, code, 'Ed');
  await second.reload();
  await expect(second.getByTestId('my-dc')).toHaveText(/East/);
  await expect(second.getByText('Ed').first()).toBeVisible();
  // A reply from East shows up threaded under the post on West.
  await first.getByLabel('Write a post').fill('Question from West');
  await first.getByRole('button', { name: 'Post' }).click();
  const question = second.getByTestId('post').filter({ hasText: 'Question from West' }).first();
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Reply' }).first().click();
  await second.getByLabel('Write a reply').fill('Answer from East');
  await second.getByRole('button', { name: 'Post reply' }).click();
  await expect(first.getByTestId('post').filter({ hasText: 'Question from West' }).filter({ hasText: 'Answer from East' }).first()).toBeVisible();
});
