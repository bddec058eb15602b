// Drives the Microsoft 365 Agents Playground UI with headless Chromium (playwright-core); prints one JSON line.
// Usage: node drive.mjs '{"url": "http://127.0.0.1:PORT/", "steps": [...], "failure_screenshot": path}'. Steps:
//   {"open": "Personal Chat"}        open the chat or channel whose sidebar label contains this text
//   {"mention": "lefbot"}            type @lefbot in the composer and pick the bot from the mention menu
//   {"type": "Wanneer is ...?"}      type text in the composer
//   {"send": true}                   send: Enter in a chat, the Post button in a channel
//   {"expect": "text", "count": 1}   wait until `count` bot messages contain text (the bot's texts are <p>;
//                                    the user's own messages, the composer, sidebar and log panel are not)
//   {"click": "Ja, dit hielp"}       click the button with this name (e.g. on an Adaptive Card)
//   {"post": "/notify"}              POST to the bot (job.bot_url + path), e.g. to trigger a proactive message
//   {"screenshot": "/path.png"}      save the page as PNG
import { chromium } from 'playwright-core';

const job = JSON.parse(process.argv[2]);
const started = Date.now();
const result = { ok: false, steps: [] };
const browser = await chromium.launch({
  executablePath: job.chromium ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});

// Chat messages are <p> elements outside the composer (the sidebar preview and the log panel use other tags).
const messages = (page, text) => page.locator('p:not([contenteditable] *)').filter({ hasText: text });
const composer = (page) => page.locator('[role=textbox][data-lexical-editor=true]');

async function run(page, step) {
  if (step.open) {
    await page.getByRole('treeitem', { name: new RegExp(step.open) }).first().click();
  } else if (step.mention) {
    await composer(page).click();
    await page.keyboard.type('@' + step.mention.slice(0, 3));
    await page.getByRole('menuitem', { name: step.mention }).click();
    await page.keyboard.type(' ');
  } else if (step.type) {
    await composer(page).click();
    await page.keyboard.type(step.type);
  } else if (step.send) {
    const post = page.getByRole('button', { name: 'Post', exact: true });
    if (await post.isVisible()) await post.click();
    else await page.keyboard.press('Enter');
  } else if (step.expect) {
    const count = step.count ?? 1;
    const found = messages(page, step.expect);
    await found.nth(count - 1).waitFor();
    return { texts: (await found.allInnerTexts()).map((t) => t.trim()) };
  } else if (step.click) {
    await page.getByRole('button', { name: step.click }).last().click();
  } else if (step.post) {
    const response = await page.request.post(job.bot_url + step.post);
    if (!response.ok()) throw new Error(`POST ${step.post}: ${response.status()}`);
    return { status: response.status() };
  } else if (step.screenshot) {
    await page.screenshot({ path: step.screenshot });
  } else {
    throw new Error('unknown step ' + JSON.stringify(step));
  }
  return {};
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
  page.setDefaultTimeout(job.timeout_ms ?? 30000);
  await page.goto(job.url, { waitUntil: 'domcontentloaded' });
  for (const step of job.steps) {
    const t0 = Date.now();
    const outcome = await run(page, step);
    result.steps.push({ ...step, ...outcome, ms: Date.now() - t0 });
  }
  result.ok = true;
} catch (error) {
  result.error = String(error).slice(0, 2000);
  result.failed_step = job.steps[result.steps.length];
  const [page] = browser.contexts().flatMap((context) => context.pages());
  if (page && job.failure_screenshot) {
    await page.screenshot({ path: job.failure_screenshot }).catch(() => {});
    result.failure_screenshot = job.failure_screenshot;
  }
} finally {
  result.ms = Date.now() - started;
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
