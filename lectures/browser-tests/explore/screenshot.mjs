// The README's picture of `lectures explore`: the t-SNE page on all 1797 digits with SNE beside
// it, taken in headless Debian chromium when both runs have ended.
// Run: `npm run screenshot` after `cargo build --release -p lectures`; writes docs/explore-tsne.png.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = process.env.EXPLORE_BIN || path.join(root, 'target/release/lectures');
const out = process.argv[2] || path.join(root, 'docs/explore-tsne.png');
const server = spawn(bin, ['explore', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise(resolve => {
  let text = '';
  server.stdout.on('data', c => { text += c; const m = text.match(/serving on (http:\S+\/)/); if (m) resolve(m[1]); });
});
// A `timeout` or Ctrl-C must not leave the server behind.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.kill('SIGINT'); process.exit(1); });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1480, height: 1000 } });
  await page.goto(base + 'tsne');
  await page.waitForFunction(() => window.exploreLive && window.exploreLive.student.runs >= 1 &&
    window.exploreLive.student.done && window.exploreLive.gaussian.done, null, { timeout: 300000 });
  await page.screenshot({ path: out, fullPage: true });
  console.log('wrote ' + out);
} finally {
  await browser.close();
  server.kill('SIGINT');
}
