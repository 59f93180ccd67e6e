// Drives Sluice's web console in headless Chromium as a person would, one flow per run: the flow
// named in the job (JSON on standard input: it holds tokens, so not on the command line) signs in,
// clicks through its pages, and reports what they showed as JSON on standard output. Every page a
// flow reaches is checked with axe-core (its serious and critical violations reported) and
// screenshot at 1280 and 360 px wide. Run by tests/Sluice.IntegrationTests/WebConsole.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 360];

const job = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const report = { flow: job.flow, steps: {}, audits: [], overflow: {}, screenshots: [], requests: [], console: [] };

const browser = await chromium.launch({
  executablePath: job.chromium,
  headless: true,
  // As root Chromium needs --no-sandbox; the rest keep it off a network it cannot reach.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-proxy-server'],
  timeout: 60000,
});

const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(job.base).origin });
const page = await context.newPage();
page.setDefaultTimeout(job.timeoutMs ?? 30000);
page.on('console', message => report.console.push(`${message.type()}: ${message.text()}`));
page.on('pageerror', error => report.console.push(`pageerror: ${error.message}`));
page.on('request', request => report.requests.push(`${request.method()} ${request.url()}`));

/** Checks the page as it stands: axe's serious and critical violations, overflow at 360 px, and a screenshot at each width. */
async function audit(name) {
  await page.waitForLoadState('load');
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  report.audits.push({
    page: name,
    violations: result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })),
  });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    if (width < 400) {
      report.overflow[name] = await page.evaluate(() => document.documentElement.scrollWidth);
    }
    if (job.screenshots) {
      await mkdir(job.screenshots, { recursive: true });
      const path = `${job.screenshots}/${name}-${width}.png`;
      await page.screenshot({ path, fullPage: true });
      report.screenshots.push(path);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signIn(token) {
  await page.goto(job.base);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#nav').waitFor({ state: 'visible' });
}

const visibleNav = () => page.locator('#nav a:visible').allTextContents();

/** The SHA-256 of what the browser fetches from a URL, hex; the fetch runs in the page. */
const sha256Of = url => page.evaluate(async target => {
  const response = await fetch(target, { credentials: 'omit' });
  const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
  return { status: response.status, sha256: [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('') };
}, url);

const FLOWS = {};

// FLOWS are added below this line.

/** The stores page, once the stores have arrived (links, or a message when there is none). */
async function storesShown() {
  await page.getByRole('heading', { name: 'Artifact stores' }).waitFor();
  await page.locator('main a.store-name, main .message').first().waitFor();
}

/** A store's runs page, once its listing has arrived (a table, or a message when there is none). */
async function runsShown() {
  await page.getByRole('heading', { name: `Runs in ${job.store}` }).waitFor();
  await page.locator('main table.stack, main .message').first().waitFor();
}

const treeLink = path => page.locator(`nav[aria-label="Files"] a[data-path="${path}"]`);

/** Opens an entry of the run from its tree and waits for its preview (files) or facts (folders). */
async function openEntry(path, file = true) {
  await treeLink(path).click();
  await page.getByRole('heading', { level: 2, name: path, exact: true }).waitFor();
  if (file) {
    await page.locator('section.preview[data-kind]').waitFor({ timeout: 30000 });
  }
}

// Sign in with the keyboard alone, see what an admin is offered, and reach a section by Tab and Enter.
FLOWS.signin = async () => {
  await page.goto(job.base);
  report.steps.title = await page.title();
  await audit('sign-in');
  await page.getByLabel('Token').fill('not-a-token');
  await page.keyboard.press('Enter');
  report.steps.badToken = await page.getByRole('alert').textContent();
  await page.getByLabel('Token').fill(job.token);
  await page.keyboard.press('Enter');
  await page.locator('#nav').waitFor({ state: 'visible' });
  report.steps.nav = await visibleNav();
  report.steps.who = await page.locator('#who-name').textContent();
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.textContent) === 'Tokens') {
      break;
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Tokens' }).waitFor({ timeout: 10000 }).catch(() => {});
  report.steps.reachedByKeyboard = await page.locator('h1').textContent();
  report.steps.sessionToken = await page.evaluate(() => sessionStorage.getItem('sluice.token') !== null);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Token').waitFor();
  report.steps.sessionTokenAfterSignOut = await page.evaluate(() => sessionStorage.getItem('sluice.token'));
};

// A scoped token: what it is offered, and what it is not.
FLOWS.scoped = async () => {
  await signIn(job.token);
  report.steps.nav = await visibleNav();
  await storesShown();
  report.steps.stores = await page.locator('a.store-name').allTextContents();
  report.steps.storesMessage = await page.locator('.message').allTextContents();
  await audit(report.steps.stores.length > 0 ? 'stores-scoped' : 'stores-none');
  if (report.steps.stores.length > 0) {
    await page.getByRole('link', { name: job.store, exact: true }).click();
    await runsShown();
    report.steps.runs = await page.locator('table.stack tbody a').allTextContents();
    await audit('runs-scoped');
    await page.getByRole('link', { name: job.run, exact: true }).click();
    await openEntry(job.file);
    report.steps.deleteButtons = await page.getByRole('button', { name: /^Delete/ }).count();
    report.steps.uploadForms = await page.getByRole('heading', { name: 'Upload files' }).count();
    report.steps.download = await page.getByRole('link', { name: 'Download' }).count();
  }
  for (const section of ['tokens', 'accounts']) {
    await page.goto(`${job.base}#/${section}`);
    await page.locator('h1').waitFor();
    report.steps[section] = { h1: await page.locator('h1').textContent(), alert: await page.getByRole('alert').allTextContents() };
  }
};

// An admin browses a pushed run: stores, runs, the tree, each preview kind, a download, deletes.
FLOWS.browse = async () => {
  await signIn(job.token);
  await storesShown();
  await audit('stores');
  await page.getByRole('link', { name: job.store, exact: true }).click();
  await runsShown();
  report.steps.runs = await page.locator('table.stack tbody a').allTextContents();
  await audit('runs');
  await page.getByRole('link', { name: job.run, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Run ${job.run}` }).waitFor();
  await treeLink('outputs').waitFor();
  report.steps.tree = await page.locator('nav[aria-label="Files"] a[data-path]').evaluateAll(links => links.map(a => a.dataset.path));
  await page.getByRole('heading', { name: 'Metrics' }).waitFor();
  report.steps.metrics = await page.locator('svg[role="img"]').evaluateAll(charts => charts.map(c => c.getAttribute('aria-label')));
  await audit('run');

  report.steps.previews = {};
  for (const path of job.previews) {
    await openEntry(path);
    const preview = page.locator('section.preview');
    const kind = await preview.getAttribute('data-kind');
    const seen = { kind, text: (await preview.innerText()).slice(0, 2000) };
    if (kind === 'csv') {
      seen.header = await preview.locator('th').allTextContents();
      seen.rows = await preview.locator('tbody tr').count();
    }
    if (kind === 'image') {
      seen.image = await preview.locator('img').evaluate(img => ({ alt: img.alt, width: img.naturalWidth, source: img.src.split(':')[0] }));
    }
    if (kind === 'log') {
      seen.lines = await preview.locator('.line span').allTextContents();
    }
    report.steps.previews[path] = seen;
    await audit(`preview-${kind}`);
  }

  report.steps.downloads = {};
  for (const path of job.downloads) {
    await openEntry(path);
    const link = page.getByRole('link', { name: 'Download' });
    const href = await link.getAttribute('href');
    const opened = context.waitForEvent('page');
    await link.click();
    const tab = await opened;
    report.steps.downloads[path] = { href, ...(await sha256Of(href)), openedInNewTab: tab !== page, consoleStayed: page.url().startsWith(job.base) };
    await tab.close();
  }

  await openEntry(job.deleteFile);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('dialog[open]').waitFor();
  report.steps.deleteQuestion = await page.locator('dialog[open] p').textContent();
  await audit('delete-confirm');
  await page.locator('dialog[open]').getByRole('button', { name: 'Cancel' }).click();
  report.steps.afterCancel = await treeLink(job.deleteFile).count();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
  await page.getByText(`Deleted ${job.deleteFile}`).waitFor();
  report.steps.afterDelete = await treeLink(job.deleteFile).count();

  await openEntry(job.deleteFolder, false);
  await page.getByRole('button', { name: 'Delete folder' }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
  await page.getByText(`Deleted ${job.deleteFolder}`).waitFor();
  report.steps.treeAfterFolderDelete = await page.locator('nav[aria-label="Files"] a[data-path]').evaluateAll(links => links.map(a => a.dataset.path));
};

// Follow a run's log while `sluice artifacts logs` writes it; search it; jump to its end.
FLOWS.logs = async () => {
  await signIn(job.token);
  await page.goto(`${job.base}#/logs/${encodeURIComponent(job.store)}/${encodeURIComponent(job.run)}`);
  await page.getByRole('heading', { name: `Logs of ${job.run}` }).waitFor();
  report.steps.follow = await page.getByLabel('Follow new lines').isChecked();
  const lines = page.locator('[role="log"] .line');
  await lines.first().waitFor({ timeout: 60000 });
  report.steps.firstSeenWith = await lines.count();
  // Tell the test the page is following: it writes the rest of the log now.
  await writeFile(job.readyFile, 'following');
  await audit('logs');
  await page.waitForFunction(n => document.querySelectorAll('[role="log"] .line').length >= n, job.expectLines, { timeout: 120000 });
  report.steps.lines = await page.locator('[role="log"] .line span').allTextContents();
  report.steps.times = await page.locator('[role="log"] .line time').evaluateAll(times => times.map(t => t.getAttribute('datetime')));
  report.steps.atEnd = await page.locator('[role="log"]').evaluate(log => log.scrollTop + log.clientHeight >= log.scrollHeight - 2);
  await audit('logs-followed');
  await page.getByLabel('Search').fill(job.search);
  await page.waitForFunction(() => /match/.test(document.querySelector('p[role="status"]')?.textContent ?? ''));
  report.steps.searchStatus = await page.locator('p[role="status"]').first().textContent();
  report.steps.visibleAfterSearch = await page.locator('[role="log"] .line:visible').count();
  report.steps.marks = await page.locator('[role="log"] mark').count();
  await page.getByLabel('Search').fill('');
  await page.locator('[role="log"]').evaluate(log => { log.scrollTop = 0; });
  await page.getByRole('button', { name: 'Jump to end' }).click();
  report.steps.atEndAfterJump = await page.locator('[role="log"]').evaluate(log => log.scrollTop + log.clientHeight >= log.scrollHeight - 2);
};

// Upload files into a run from the page: presigned parts straight to the bucket.
FLOWS.upload = async () => {
  await signIn(job.token);
  await page.goto(`${job.base}#/runs/${encodeURIComponent(job.store)}/${encodeURIComponent(job.run)}`);
  await page.getByRole('heading', { name: 'Upload files' }).waitFor();
  await page.getByLabel('Files to upload').setInputFiles(job.files);
  await page.getByLabel('Into folder').fill(job.folder);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[role="status"], [role="alert"]')]
    .some(e => /Uploaded \d+ files?\.|failed|cancelled/i.test(e.textContent)), null, { timeout: 180000 });
  report.steps.status = await page.locator('[role="status"], [role="alert"]').allTextContents();
  report.steps.progress = await page.getByRole('progressbar', { name: 'Upload progress' }).evaluate(p => p.value / p.max);
  report.steps.tree = await page.locator('nav[aria-label="Files"] a[data-path]').evaluateAll(links => links.map(a => a.dataset.path));
  await audit('upload-done');
};

/** What the page answers to a request with a token, fetched from the page (as a client of the API would). */
const meWith = token => page.evaluate(async secret => {
  const response = await fetch('/me', { headers: { Authorization: 'Bearer ' + secret } });
  return { status: response.status, body: response.ok ? await response.json() : null };
}, token);

// Create a token with the scope builder, copy its secret (shown once), use it, revoke it.
FLOWS.tokens = async () => {
  await signIn(job.token);
  await page.goto(`${job.base}#/tokens`);
  await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Create token' }).waitFor();
  await audit('tokens');
  await page.getByLabel('Name', { exact: true }).fill(job.name);
  await page.getByLabel(job.account, { exact: true }).check();
  await page.getByLabel('Buckets (comma-separated)').fill(job.bucket);
  await page.getByLabel('Prefixes (comma-separated)').fill(job.prefix);
  await page.getByLabel('GET', { exact: true }).check();
  await page.getByLabel('PUT', { exact: true }).check();
  await page.getByLabel('Max URL lifetime (seconds)').fill('900');
  await page.getByLabel('Max upload bytes').fill('1048576');
  await page.getByLabel('Expires in (seconds)').fill('3600');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('heading', { name: 'Token created' }).waitFor();
  report.steps.notice = await page.getByText('Copy this token now').textContent();
  const secret = await page.locator('#new-token-secret').textContent();
  await page.getByRole('button', { name: 'Copy token' }).click();
  report.steps.copied = (await page.evaluate(() => navigator.clipboard.readText())) === secret;
  await audit('token-created');
  report.steps.meWithNew = await meWith(secret);
  await page.getByRole('button', { name: `Revoke token ${job.name}` }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Revoke' }).click();
  await page.getByText(`Revoked token ${job.name}.`).waitFor();
  report.steps.row = await page.locator('tr', { hasText: job.name }).first().innerText();
  report.steps.meAfterRevoke = await meWith(secret);
  // The secret appears nowhere on the page once it has been dealt with, except where it was shown.
  report.steps.secretShownOnce = await page.evaluate(text => document.body.innerText.split(text).length - 1, secret);
};

// Accounts: a bad field answered with the API's own words, a good account, its check, its deletion.
FLOWS.accounts = async () => {
  await signIn(job.token);
  await page.goto(`${job.base}#/accounts`);
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'New account' }).waitFor();
  await audit('accounts');
  await page.getByRole('link', { name: 'New account' }).click();
  await page.getByRole('heading', { name: 'New account' }).waitFor();
  await page.getByLabel('Id', { exact: true }).fill(job.id);
  await page.getByLabel('Region').fill('US East');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').waitFor();
  report.steps.alert = await page.getByRole('alert').textContent();
  report.steps.regionError = await page.locator('.field-error').allTextContents();
  report.steps.regionInvalid = await page.getByLabel('Region').getAttribute('aria-invalid');
  await audit('account-invalid');

  await page.getByLabel('Region').fill(job.region);
  await page.getByLabel('Host').fill(job.host);
  await page.getByLabel('Access key id').fill(job.accessKeyId);
  await page.getByLabel('Secret access key').fill(job.secretAccessKey);
  await page.getByLabel('Use HTTPS').uncheck();
  await page.getByLabel('Path-style URLs').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Saved account ${job.id}.`).waitFor();
  await page.getByRole('button', { name: `Check account ${job.id}` }).waitFor(); // the list, read again
  report.steps.listed = await page.locator('tr', { hasText: job.id }).count();
  await page.getByLabel('Bucket to try when checking (optional)').fill(job.bucket);
  await page.getByRole('button', { name: `Check account ${job.id}` }).click();
  const check = page.getByRole('region', { name: `Check of ${job.id}` });
  await check.locator('dl').waitFor();
  report.steps.check = await check.innerText();
  await audit('account-checked');
  await page.getByRole('button', { name: `Delete account ${job.id}` }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
  await page.getByText(`Deleted account ${job.id}.`).waitFor();
  report.steps.listedAfterDelete = await page.locator('tr', { hasText: job.id }).count();
};

// The presign playground: a URL, a curl line and copy buttons.
FLOWS.presign = async () => {
  await signIn(job.token);
  await page.goto(`${job.base}#/presign`);
  await page.getByRole('heading', { name: 'Presign a URL' }).waitFor();
  await page.getByRole('button', { name: 'Sign', exact: true }).waitFor();
  await audit('presign');
  const account = page.getByLabel('Account');
  if (await account.evaluate(e => e.tagName === 'SELECT')) {
    await account.selectOption(job.account);
  } else {
    await account.fill(job.account);
  }
  await page.getByLabel('Bucket').fill(job.bucket);
  await page.getByLabel('Key').fill(job.key);
  await page.getByLabel('Method').selectOption('GET');
  await page.getByLabel('Expires in (seconds)').fill('600');
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.locator('#presigned-url').waitFor();
  report.steps.url = await page.locator('#presigned-url').textContent();
  report.steps.curl = await page.locator('#presigned-curl').textContent();
  await page.getByRole('button', { name: 'Copy URL' }).click();
  report.steps.copiedUrl = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByRole('button', { name: 'Copy curl' }).click();
  report.steps.copiedCurl = await page.evaluate(() => navigator.clipboard.readText());
  await audit('presign-signed');
  await page.getByLabel('Key').fill('a/../b');
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByRole('alert').waitFor();
  report.steps.dotSegments = await page.getByRole('alert').textContent();
};

try {
  if (!FLOWS[job.flow]) {
    throw new Error(`no flow named ${job.flow}`);
  }
  await FLOWS[job.flow]();
} catch (error) {
  report.error = String(error?.stack ?? error);
  if (job.screenshots) {
    await page.screenshot({ path: `${job.screenshots}/failed-${job.flow}.png`, fullPage: true }).catch(() => {});
  }
  report.html = await page.content().catch(() => null);
} finally {
  await browser.close();
}

process.stdout.write(JSON.stringify(report));
