// Offsite copy in the window (issue #10): add an encrypted remote (s3rver on 127.0.0.1), see the
// recovery key once, push now, see what was pushed; bad input is named in the form's error.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { startS3 } from '../support/s3-server.js';
import { chromiumPath, openWindow, screenshot, startServeProcess } from '../support/serve-process.js';
const exe = chromiumPath();
describe('Offsite copy in the window', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
    let s3;
    let serve;
    let browser;
    let page;
    const library = path.join(tempDir(), 'lib');
    before(async () => {
        s3 = await startS3(['photos']);
        const src = tempDir();
        writeTree(src, { 'a.jpg': await jpeg('win-a', 5000), 'b.jpg': await jpeg('win-b', 5000) });
        assert.equal((await runCli(['upload', src], { library })).code, 0);
        serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir(), ...s3.env });
        ({ browser, page } = await openWindow(serve.url));
    });
    after(async () => {
        await browser?.close();
        await serve?.stop();
        await s3?.close();
    });
    it('adds a remote, shows the recovery key once, pushes, and lists what is there', async () => {
        await page.getByRole('button', { name: 'Offsite copy' }).click();
        await page.getByText('No offsite copy yet.').waitFor();
        assert.equal(await page.getByLabel('Secret access key').count(), 0, 'the browser window does not take keys');
        await page.getByText(/Access keys come from the environment/).waitFor();
        // the passphrase must be typed the same twice
        await page.getByLabel('Bucket').fill('s3://photos/window');
        await page.getByLabel('Endpoint').fill('http://127.0.0.1:9');
        await page.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
        await page.getByLabel('Passphrase again').fill('a long passphrasf');
        await page.getByRole('button', { name: 'Add offsite copy' }).click();
        await page.getByRole('alert').filter({ hasText: 'The two passphrases differ' }).waitFor();
        // a wrong endpoint is named
        await page.getByLabel('Passphrase again').fill('a long passphrase');
        await page.getByRole('button', { name: 'Add offsite copy' }).click();
        await page.getByRole('alert').filter({ hasText: /127\.0\.0\.1:9/ }).waitFor({ timeout: 30_000 });
        // the real one
        await page.getByLabel('Bucket').fill('s3://photos/window');
        await page.getByLabel('Endpoint').fill(s3.endpoint);
        await page.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
        await page.getByLabel('Passphrase again').fill('a long passphrase');
        await page.getByRole('button', { name: 'Add offsite copy' }).click();
        const key = page.getByLabel('Recovery key');
        await key.waitFor({ timeout: 30_000 });
        assert.match((await key.textContent()) ?? '', /\w{4}-\w{4}/);
        await page.getByRole('cell', { name: /s3:\/\/photos\/window/ }).waitFor();
        await page.getByRole('button', { name: 'Push now' }).click();
        await page.getByText(/Pushed 2 contents .* to s3:\/\/photos\/window\/\./).waitFor({ timeout: 60_000 });
        await page.getByRole('cell', { name: /^2 \(/ }).waitFor();
        await screenshot(page, 'offsite-copy');
        await page.getByRole('button', { name: 'I have saved it' }).click();
        assert.equal(await page.getByLabel('Recovery key').count(), 0, 'shown once');
        const ls = await runCli(['--json', 'remote', 'ls'], { library });
        assert.match(ls.stdout, /s3:\/\/photos\/window/);
    });
});
//# sourceMappingURL=remotes-window.test.js.map