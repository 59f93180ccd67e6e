// Uploads one file through Sluice's upload page in headless Chromium, as a person would:
// fills the form, chooses the file, clicks Upload and waits for the page to say done or failed.
// The job comes as JSON on standard input (it holds a token: not on the command line);
// what the page showed goes to standard output as JSON. Run by tests/Sluice.IntegrationTests/Browser.
import { chromium } from 'playwright-core';

const job = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const browser = await chromium.launch({
  executablePath: job.chromium,
  headless: true,
  // As root Chromium needs --no-sandbox; the rest keep it off a network it cannot reach.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-proxy-server'],
  timeout: 60000,
});

const report = { requests: [], console: [] };
try {
  const page = await browser.newPage();
  page.on('console', message => report.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', error => report.console.push(`pageerror: ${error.message}`));
  page.on('request', request => report.requests.push(`${request.method()} ${request.url()}`));

  const response = await page.goto(job.fragment ? `${job.page}#${job.fragment}` : job.page);
  report.pageStatus = response.status();
  report.contentSecurityPolicy = response.headers()['content-security-policy'] ?? null;
  await page.waitForFunction(() => document.getElementById('form') !== null && document.readyState === 'complete');
  report.addressAfterLoad = page.url();
  report.tokenFieldFilled = (await page.inputValue('#token')) !== '';

  for (const [field, value] of Object.entries(job.fields ?? {})) {
    await page.fill(`#${field}`, String(value));
  }
  await page.setInputFiles('#file', job.file);
  await page.click('#upload');
  await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: job.timeoutMs ?? 120000 });

  report.state = await page.getAttribute('#status', 'data-state');
  report.status = await page.textContent('#status');
  report.progress = await page.$eval('#progress', p => p.value);
  if (report.state === 'done') {
    report.key = await page.textContent('#result-key');
    report.etag = await page.textContent('#result-etag');
    report.size = await page.textContent('#result-size');
  }
  if (job.screenshot) {
    await page.screenshot({ path: job.screenshot, fullPage: true });
  }
} catch (error) {
  report.error = String(error?.stack ?? error);
} finally {
  await browser.close();
}

process.stdout.write(JSON.stringify(report));
