import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright';
import { DEFAULT_TIMING } from '../../main/core/watch/change-queue.js';
import { jpeg } from '../support/fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, startServeProcess } from '../support/serve-process.js';
import { percentile } from '../support/process-stats.js';
/** Issue #6 row: time from a file written in a watched folder to its tile in the open window (50 files). */
export async function uiLatencyBench(work) {
    const group = `file written → shown in the window, 50 files (settle window ${DEFAULT_TIMING.settleMs} ms)`;
    const exe = chromiumPath();
    if (!exe)
        return [{ group, tool: 'shoebox serve + Chromium', value: 'n/a', note: 'Chromium not installed' }];
    const folder = path.join(work, 'ui-live');
    const library = path.join(work, 'library-ui');
    for (const p of [folder, library])
        fs.rmSync(p, { recursive: true, force: true });
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'seed.jpg'), await jpeg('ui-seed'));
    const serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: path.join(work, 'ui-config') });
    const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
    const lat = [];
    try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(serve.url);
        await page.getByRole('button', { name: 'Add folder' }).click();
        await page.getByLabel(/Folder to watch/).fill(folder);
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByRole('button', { name: 'Watch this folder' }).click();
        await page.getByRole('img', { name: /seed\.jpg/ }).waitFor({ timeout: 20_000 });
        const files = await Promise.all(Array.from({ length: 50 }, (_, i) => jpeg(`ui-${i}-${Date.now()}`, 50_000)));
        for (let i = 0; i < 50; i++) {
            fs.writeFileSync(path.join(folder, `live-${i}.jpg`), files[i]);
            const t0 = performance.now();
            await page.getByRole('img', { name: new RegExp(`^live-${i}\\.jpg`) }).waitFor({ timeout: 20_000 });
            lat.push(performance.now() - t0);
        }
    }
    finally {
        await browser.close();
        await serve.stop();
    }
    return [{ group, tool: 'shoebox serve + Chromium', value: `p50 ${percentile(lat, 50).toFixed(0)} ms`, ratio: `beyond settle: p50 ${(percentile(lat, 50) - DEFAULT_TIMING.settleMs).toFixed(0)} ms, p99 ${(percentile(lat, 99) - DEFAULT_TIMING.settleMs).toFixed(0)} ms`, note: `p99 ${percentile(lat, 99).toFixed(0)} ms` }];
}
//# sourceMappingURL=ui-bench.js.map