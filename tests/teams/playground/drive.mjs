// Drives the Microsoft 365 Agents Playground UI with headless Chromium (playwright-core) and prints one JSON line.
// Usage: node drive.mjs '{"url": "...", "message": "...", "expect": "...", "screenshot": "/path.png"}'
import { chromium } from 'playwright-core';

const job = JSON.parse(process.argv[2]);
const started = Date.now();
const timeout = job.timeout_ms ?? 30000;
const result = { ok: false };
const browser = await chromium.launch({
  executablePath: job.chromium ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
  page.setDefaultTimeout(timeout);
  await page.goto(job.url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
  const box = page.locator('[role=textbox][data-lexical-editor=true]');
  await box.click();
  await page.keyboard.type(job.message);
  await page.keyboard.press('Enter');
  // The bot's reply is a paragraph in the chat pane (the sidebar preview and the log panel are not <p>).
  const reply = page.locator('p').filter({ hasText: job.expect }).first();
  await reply.waitFor();
  result.reply = (await reply.innerText()).trim();
  result.sent = (await page.getByText(job.message, { exact: true }).count()) > 0;
  if (job.screenshot) {
    await page.screenshot({ path: job.screenshot });
    result.screenshot = job.screenshot;
  }
  result.ok = true;
} catch (error) {
  result.error = String(error).slice(0, 2000);
} finally {
  result.ms = Date.now() - started;
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
