// Measures what the issue asks to report (not a test: timings depend on the machine's load),
// in the page with performance.now():
// - spectral: the redraw latency of the spectral page at N = 1000, request to figure drawn;
// - tsne: the frames per second the t-SNE page draws on all 1797 digits, alone and with SNE
//   (600 digits) beside it;
// - ae: the epochs per second the autoencoder page draws for the digits (deep and VAE).
// Run: `npm run measure [-- spectral|tsne|ae]` after `cargo build --release -p lectures`.
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
// A `timeout` or Ctrl-C must not leave the server behind.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.kill('SIGINT'); process.exit(1); });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const only = process.argv[2];
try {
  if (!only || only === 'spectral') await spectral();
  if (!only || only === 'tsne') await tsne();
  if (!only || only === 'ae') await autoencoders();
} finally {
  await browser.close();
  server.kill('SIGINT');
}

// Frames drawn by live run `name` per second, between its first and last frame.
async function liveRate(page, name) {
  await page.waitForFunction(n => window.exploreLive && window.exploreLive[n] && window.exploreLive[n].runs >= 1 && window.exploreLive[n].done, name, { timeout: 300000 });
  return page.evaluate(n => {
    const t = window.exploreLive[n].times;
    return { frames: t.length, seconds: (t.at(-1) - t[0]) / 1000, rate: (t.length - 1) / ((t.at(-1) - t[0]) / 1000) };
  }, name);
}

async function tsne() {
  for (const withSne of [false, true]) {
    const page = await browser.newPage();
    await page.goto(base + 'tsne');
    if (!withSne) await page.$eval('#sne', el => { el.checked = false; el.dispatchEvent(new Event('input')); });
    await page.waitForTimeout(200);
    await page.evaluate(() => { for (const s of Object.values(window.exploreLive)) { s.runs = 0; } });
    await page.click('#restart');
    const t = await liveRate(page, 'student');
    console.log(`t-SNE, 1797 digits, 1000 iterations${withSne ? ', SNE (600 digits) beside' : ''}: ${t.frames} frames drawn in ${t.seconds.toFixed(2)} s = ${t.rate.toFixed(1)} frames/s`);
    if (withSne) {
      const g = await liveRate(page, 'gaussian');
      console.log(`  SNE, 600 digits, 1000 iterations: ${g.frames} frames in ${g.seconds.toFixed(2)} s = ${g.rate.toFixed(1)} frames/s`);
    }
    await page.close();
  }
}

async function autoencoders() {
  for (const model of ['deep', 'vae']) {
    const page = await browser.newPage();
    await page.goto(base + 'autoencoders');
    await page.$eval('#model', (el, m) => { el.value = m; el.dispatchEvent(new Event('input')); }, model);
    await page.waitForTimeout(200);
    await page.evaluate(() => { window.exploreLive.ae.runs = 0; });
    await page.click('#restart');
    const t = await liveRate(page, 'ae');
    const computed = await page.evaluate(() => document.getElementById('timing').textContent);
    console.log(`${model} autoencoder, 1797 digits, 200 epochs: ${t.frames} epochs drawn in ${t.seconds.toFixed(2)} s = ${t.rate.toFixed(1)} epochs/s; server: ${computed}`);
    await page.close();
  }
}

async function spectral() {
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
  await page.close();
}
