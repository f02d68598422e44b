// Measures what the issue asks to report (not a test: timings depend on the machine's load):
// the redraw latency of the spectral page at N = 1000, request to figure drawn, measured in
// the page with performance.now(). Run: `node measure.mjs` after `cargo build --release -p lectures`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = process.env.EXPLORE_BIN || path.join(root, 'target/release/lectures');
const server = spawn(bin, ['explore', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise(resolve => {
  let out = '';
  server.stdout.on('data', c => { out += c; const m = out.match(/serving on (http:\S+\/)/); if (m) resolve(m[1]); });
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(base + 'spectral');
  const drawn = () => page.evaluate(() => Number(document.body.dataset.drawn || 0));
  async function move(id, value) {
    const n = await drawn();
    await page.$eval('#' + id, (el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, String(value));
    await page.waitForFunction(k => Number(document.body.dataset.drawn) > k, n);
    return page.evaluate(() => window.exploreTimings.at(-1));
  }
  await page.waitForFunction(() => Number(document.body.dataset.drawn || 0) >= 1);
  for (const data of ['swiss_roll', 'digits']) {
    await move('data', data);
    await move('n', 1000);
    for (const [label, setup, id, values] of [
      ['PCA (kernel PCA, linear kernel)', [['method', 'kpca'], ['kernel', 'linear']], 'noise', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]],
      ['kernel PCA, RBF', [['method', 'kpca'], ['kernel', 'rbf']], 'lgamma', [-2, -1.5, -1, -0.5, 0, 0.5, 1]],
      ['diffusion maps', [['method', 'diffusion']], 'alpha', [0.9, 0.8, 0.7, 0.5, 0.3, 0.2, 0.1]],
      ['Isomap, k-NN', [['method', 'isomap']], 'k', [8, 10, 12, 14, 16, 18, 20]],
    ]) {
      for (const [k, v] of setup) await move(k, v);
      const t = [];
      for (const v of values) t.push(await move(id, v));
      t.sort((a, b) => a - b);
      console.log(`${data} N=1000 ${label}: median ${t[3].toFixed(0)} ms, min ${t[0].toFixed(0)}, max ${t[6].toFixed(0)} (7 moves of ${id})`);
    }
  }
} finally {
  await browser.close();
  server.kill('SIGINT');
}
