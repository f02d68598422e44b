// Browser tests of `lectures explore`: start the server on a free port, open every page in
// headless Debian chromium, move a control, and check that the figure changed, that no error
// reached the console, and that bad parameters come back as a message on the page.
//
// Run: `npm ci && npm test` in this folder, after `cargo build --release -p lectures`; with
// BOOK_DIR=out/tour (a book the tour wrote) the book's live panels are tested too.
// EXPLORE_BIN overrides the server binary (default: target/release/lectures of the workspace).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = process.env.EXPLORE_BIN || path.join(root, 'target/release/lectures');
let server, base, browser;

before(async () => {
  ({ child: server, address: base } = await serve(['--book', path.join(root, 'target/no-book-here')]));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGINT');
});

// A second server that also serves the tour's book (BOOK_DIR, as for the book's own browser
// test; CI passes the book the tour just wrote), for the live panels of the claim sections.
const bookDir = process.env.BOOK_DIR ? path.resolve(root, process.env.BOOK_DIR) : null;

async function serve(args) {
  const child = spawn(bin, ['explore', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not print its address: ' + out)), 20000);
    child.stdout.on('data', chunk => {
      out += chunk;
      const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', code => reject(new Error('server exited with ' + code)));
  });
  return { child, address };
}

// Open a page, collecting console errors and failed requests; wait for its first figure.
async function open(name) {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(base + name);
  await page.waitForFunction(() => Number(document.body.dataset.drawn || 0) >= 1);
  return { page, errors };
}

const pixels = (page, id) => page.$eval('#' + id, c => c.toDataURL());
const drawn = page => page.evaluate(() => Number(document.body.dataset.drawn || 0));

// Set an input's value as a student would (an `input` event), then wait for the redraw.
async function move(page, id, value) {
  const before = await drawn(page);
  await page.$eval('#' + id, (el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, String(value));
  await page.waitForFunction(n => Number(document.body.dataset.drawn) > n, before);
}

async function click(page, id) {
  const before = await drawn(page);
  await page.click('#' + id);
  await page.waitForFunction(n => Number(document.body.dataset.drawn) > n, before);
}

test('index lists every page', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  const links = await page.$$eval('ul.pages a', as => as.map(a => a.getAttribute('href')));
  assert.deepEqual(links, ['/jacobi', '/pca3', '/spectral', '/tsne', '/mds', '/gd', '/neuron', '/autoencoders']);
  await page.close();
});

test('jacobi: a rotation zeroes the marked pair and drops off(A)^2 by 2 a_pq^2', async () => {
  const { page, errors } = await open('jacobi');
  const heat0 = await pixels(page, 'heat');
  await click(page, 'rotation');
  assert.notEqual(await pixels(page, 'heat'), heat0, 'heat map unchanged after a rotation');
  const text = await page.$eval('#numbers', t => t.textContent);
  assert.match(text, /rotations \/ sweeps1 \/ 0/);
  await click(page, 'sweep');
  await click(page, 'sweep');
  const off = await pixels(page, 'off');
  await move(page, 'n', 9);
  assert.notEqual(await pixels(page, 'off'), off, 'history unchanged after a new n');
  assert.deepEqual(errors, []);
  await page.close();
});

test('spectral: each slider redraws the embedding', async () => {
  const { page, errors } = await open('spectral');
  for (const [id, value] of [['lgamma', 0.5], ['kernel', 'poly'], ['method', 'isomap'], ['k', 6], ['method', 'diffusion'], ['alpha', 0.5], ['t', 4], ['data', 'digits']]) {
    const before = await pixels(page, 'plot');
    await move(page, id, value);
    assert.equal(await page.$eval('#message', m => m.textContent), '', id + ': unexpected message');
    assert.notEqual(await pixels(page, 'plot'), before, id + ' did not change the figure');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('spectral: a disconnected Isomap graph is a message on the page, then recovers', async () => {
  const { page, errors } = await open('spectral');
  await move(page, 'method', 'isomap');
  await move(page, 'k', 1);
  const msg = await page.$eval('#message', m => m.textContent);
  assert.match(msg, /disconnected|component/i);
  await move(page, 'k', 15);
  assert.equal(await page.$eval('#message', m => m.textContent), '');
  // The 400 reply is logged by chromium as a failed resource; nothing else may be.
  assert.ok(errors.every(e => /status of 400/.test(e)), errors.join('\n'));
  await page.close();
});

test('gd: the step size crosses 2/lambda_max and the page says it diverged', async () => {
  const { page, errors } = await open('gd');
  const before = await pixels(page, 'plane');
  await move(page, 'lr', 0.45);
  assert.notEqual(await pixels(page, 'plane'), before);
  await move(page, 'lr', 0.6);
  assert.match(await page.$eval('#message', m => m.textContent), /Diverged/);
  const sgd = await pixels(page, 'sgd');
  await move(page, 'lbatch', 1);
  assert.notEqual(await pixels(page, 'sgd'), sgd);
  assert.deepEqual(errors, []);
  await page.close();
});

test('neuron: the decision line moves with the epoch; L1 paths have exact zeros', async () => {
  const { page, errors } = await open('neuron');
  await page.waitForFunction(() => Number(document.body.dataset.drawn) >= 2);
  const before = await pixels(page, 'plane');
  await page.$eval('#epoch', el => { el.value = 5; el.dispatchEvent(new Event('input')); });
  assert.notEqual(await pixels(page, 'plane'), before, 'the line did not move');
  const lasso = await page.$eval('#zeros', z => z.textContent);
  assert.match(lasso, / 8$/, 'the largest λ zeroes every lasso coefficient: ' + lasso);
  const paths = await pixels(page, 'paths');
  await move(page, 'penalty', 'l2');
  assert.notEqual(await pixels(page, 'paths'), paths);
  assert.match(await page.$eval('#zeros', z => z.textContent), /: (0 )+0$/);
  await move(page, 'lr', -1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('pca3: the autoencoder codes move between frames; a diverging step is a message', async () => {
  const { page, errors } = await open('pca3');
  const last = await pixels(page, 'lae');
  await page.$eval('#frame', el => { el.value = 0; el.dispatchEvent(new Event('input')); });
  assert.notEqual(await pixels(page, 'lae'), last, 'the first frame looks like the last');
  const metrics = await pixels(page, 'metrics');
  await move(page, 'start', 'unbalanced');
  assert.notEqual(await pixels(page, 'metrics'), metrics, 'the metrics did not change with the start');
  await move(page, 'lr', 2.5);
  assert.match(await page.$eval('#message', m => m.textContent), /training stopped/);
  assert.ok(errors.every(e => /status of 400/.test(e)), errors.join('\n'));
  await page.close();
});

// Live pages: frames of run `name` drawn so far, and runs started.
const live = (page, name) => page.evaluate(n => ({ ...window.exploreLive[n], times: undefined }), name);
async function framesAtLeast(page, name, k) {
  await page.waitForFunction(([n, k]) => window.exploreLive && window.exploreLive[n] && window.exploreLive[n].frames >= k, [name, k]);
}

test('tsne: the embedding moves as t-SNE iterates, SNE beside it; a new perplexity restarts the run', async () => {
  const { page, errors } = await open('tsne');
  // Small data keep the test short; the default (all 1797 digits) is what `npm run measure` times.
  await move(page, 'data', 'blobs');
  await move(page, 'n', 300);
  await page.waitForFunction(() => window.exploreLive.student.runs >= 1);
  await framesAtLeast(page, 'student', 1);
  const early = await pixels(page, 'tsne');
  await page.waitForFunction(() => window.exploreLive.student.done && window.exploreLive.gaussian.done, null, { timeout: 60000 });
  const counts = await live(page, 'student');
  assert.ok(counts.frames >= 10, 'only ' + counts.frames + ' frames drawn');
  assert.notEqual(await pixels(page, 'tsne'), early, 'the t-SNE embedding did not move between frames');
  const runs = (await live(page, 'student')).runs;
  const kl = await pixels(page, 'kl');
  await move(page, 'lperp', 0.8);
  await page.waitForFunction(r => window.exploreLive.student.runs > r, runs);
  await page.waitForFunction(() => window.exploreLive.student.done && window.exploreLive.gaussian.done, null, { timeout: 60000 });
  assert.notEqual(await pixels(page, 'kl'), kl, 'the KL curve did not change');
  assert.match(await page.$eval('#numbers', t => t.textContent), /KL \d/);
  assert.equal(await page.$eval('#message', m => m.textContent), '');
  // A perplexity above N - 1 is refused with dimred's rule.
  await move(page, 'n', 50);
  await move(page, 'lperp', 2);
  await page.waitForFunction(() => document.getElementById('message').textContent !== '');
  assert.match(await page.$eval('#message', m => m.textContent), /Perp < N − 1/);
  assert.ok(errors.every(e => /status of 400/.test(e)), errors.join('\n'));
  await page.close();
});

test('mds: SMACOF moves the points and lowers the stress; sketch-map shows its landmarks, then every point', async () => {
  const { page, errors } = await open('mds');
  await move(page, 'pace', 0);
  await move(page, 'n', 200);
  await framesAtLeast(page, 'stress', 1);
  const first = await pixels(page, 'plot');
  await page.waitForFunction(() => window.exploreLive.stress.runs >= 1 && window.exploreLive.stress.done, null, { timeout: 60000 });
  assert.notEqual(await pixels(page, 'plot'), first, 'the configuration did not move');
  assert.match(await page.$eval('#state', t => t.textContent), /stress/);
  const runs = (await live(page, 'stress')).runs;
  await move(page, 'method', 'sketchmap');
  await page.waitForFunction(r => window.exploreLive.stress.runs > r && window.exploreLive.stress.done, runs, { timeout: 60000 });
  assert.match(await page.$eval('#state', t => t.textContent), /all 200 points placed/);
  assert.equal(await page.$eval('#message', m => m.textContent), '');
  const stress = await pixels(page, 'stress');
  await move(page, 'lsigma', -0.5);
  await page.waitForFunction(r => window.exploreLive.stress.runs > r + 1 && window.exploreLive.stress.done, runs, { timeout: 60000 });
  assert.notEqual(await pixels(page, 'stress'), stress, 'a new sigma did not change the stress curve');
  assert.deepEqual(errors, []);
  await page.close();
});

test('autoencoders: the codes move per epoch; the VAE trains with its own beta', async () => {
  const { page, errors } = await open('autoencoders');
  // Enough epochs that the run outlasts a few polls even on a quiet machine (400 rows train
  // at about 80 epochs/s here): compare an early frame with the last one.
  await move(page, 'n', 400);
  await move(page, 'epochs', 300);
  await framesAtLeast(page, 'ae', 1);
  const codes = await pixels(page, 'codes');
  await page.waitForFunction(() => window.exploreLive.ae.done, null, { timeout: 60000 });
  const drawnFrames = (await live(page, 'ae')).frames;
  assert.ok(drawnFrames >= 5, `frames drawn while training (${drawnFrames})`);
  assert.notEqual(await pixels(page, 'codes'), codes, 'the codes did not move between epochs');
  const runs = (await live(page, 'ae')).runs;
  await move(page, 'model', 'vae');
  await page.waitForFunction(r => window.exploreLive.ae.runs > r && window.exploreLive.ae.frames > 0, runs);
  const grid = await pixels(page, 'grid');
  await move(page, 'lbeta', -0.5);
  await page.waitForFunction(() => window.exploreLive.ae.done, null, { timeout: 60000 });
  assert.notEqual(await pixels(page, 'grid'), grid, 'the decoded grid did not change with beta');
  assert.match(await page.$eval('#state', t => t.textContent), /β = 0\.3/);
  assert.equal(await page.$eval('#message', m => m.textContent), '');
  await page.$eval('#show', el => { el.value = '1,99999'; el.dispatchEvent(new Event('input')); });
  await page.waitForFunction(() => document.getElementById('message').textContent !== '');
  assert.match(await page.$eval('#message', m => m.textContent), /does not exist/);
  assert.ok(errors.every(e => /status of 400/.test(e)), errors.join('\n'));
  await page.close();
});

test('book served by explore: a claim section runs its live page in place', { skip: !bookDir && 'BOOK_DIR is not set' }, async () => {
  const { child, address } = await serve(['--book', bookDir]);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto(address + 'book/04-losses-and-probabilistic.html');
    const panel = page.locator('#dr\\.tsne\\.gradient-evidence .live');
    assert.ok(await panel.isVisible(), 'the t-SNE claim shows its live panel');
    assert.equal(await panel.locator('a.open').getAttribute('href'), '/tsne');
    await panel.locator('button').click();
    const frame = page.frameLocator('#dr\\.tsne\\.gradient-evidence iframe');
    await frame.locator('body[data-drawn]').waitFor({ timeout: 30000 });
    const drawn = await frame.locator('body').evaluate(b => Number(b.dataset.drawn || 0));
    assert.ok(drawn >= 1, `the live page drew inside the book (${drawn})`);
    await panel.locator('button').click();
    assert.equal(await page.locator('#dr\\.tsne\\.gradient-evidence iframe').count(), 0, 'closed again');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    child.kill('SIGINT');
  }
});

test('bad parameters are answered with 400 and a message', async () => {
  for (const url of ['api/spectral?n=abc', 'api/spectral?n=100000', 'api/jacobi?n=99', 'api/quadratic?lr=-1', 'api/sgd?batch=0', 'api/neuron?epochs=0', 'api/paths?mix=3', 'api/jacobi?n=%zz', 'api/nope',
    'api/tsne?session=x&perplexity=0', 'api/tsne?perplexity=30', 'api/ae?session=x&beta=-1', 'api/stress?session=x&method=sketchmap&sigma=100', 'api/job?id=123456789', 'api/stop?id=x']) {
    const r = await fetch(base + url);
    assert.equal(r.status, 400, url);
    const body = await r.json();
    assert.ok(body.error && body.error.length > 10, url + ': ' + JSON.stringify(body));
  }
  const r = await fetch(base + '../../etc/passwd');
  assert.equal(r.status, 404);
  // Still serving after all that.
  assert.equal((await fetch(base)).status, 200);
});
