/** Debian Chromium driven by playwright-core: page loads and map panning, timed inside the page. */
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.js';
import { median, quantile, r1 } from './report.js';

/**
 * A browser with a profile on disk, as a user has: Playwright's usual throw-away contexts keep their
 * HTTP cache in memory and never cache an entry over ~1.25 MB, such as the 3.6 MB basemap.
 */
export function launchChromium(
  userDataDir: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    viewport,
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
}

export async function logInThroughUi(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
}

/**
 * Prepares a page for timing: tsx compiles with esbuild's keepNames, so functions passed to
 * page.evaluate call a `__name` helper that the page must have; long tasks are recorded from the
 * start of every document.
 */
export async function preparePage(page: Page): Promise<void> {
  const shim = 'globalThis.__name ??= (f) => f;';
  await page.addInitScript({ content: shim });
  await page.evaluate(shim);
  await page.addInitScript(() => {
    const w = window as unknown as { __benchLongTasks: { start: number; duration: number }[] };
    w.__benchLongTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__benchLongTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No long-task timing in this browser: the figures stay empty.
    }
    const f = window as unknown as { __benchFrames: string[] };
    f.__benchFrames = [];
    try {
      // Long animation frames name the scripts that made them long: what a slow first picture waited on.
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as {
          startTime: number;
          duration: number;
          renderStart: number;
          scripts: { invoker: string; duration: number; sourceFunctionName: string }[];
        }[]) {
          const scripts = e.scripts
            .filter((s) => s.duration >= 10)
            .map(
              (s) =>
                `${s.invoker}${s.sourceFunctionName ? `/${s.sourceFunctionName}` : ''} ${Math.round(s.duration)}`,
            );
          f.__benchFrames.push(
            `${Math.round(e.startTime)} +${Math.round(e.duration)} (render ${Math.round(e.startTime + e.duration - e.renderStart)}): ${scripts.join(', ')}`,
          );
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // No long-animation-frame timing in this browser.
    }
  });
}

export interface LoadTiming {
  /** From navigation start until every zone is in the map's source and one frame has been painted. */
  firstRenderMs: number;
  /** Until every zone is in the map's source (before that frame). */
  zonesInSourceMs: number;
  domContentLoadedMs: number;
  zonesResponseEndMs: number;
  basemapResponseEndMs: number;
  /** Main-thread tasks over 50 ms from navigation start until two seconds after the first render. */
  longTaskMs: number;
  longestTaskMs: number;
  /** End of the last long task: when the page stops stalling input. */
  quietMs: number;
  /** Response bodies as sent (before decompression), cached ones included. */
  transferKb: number;
  /** What crossed the network: headers and bodies, zero for cache hits, headers only for a 304. */
  wireKb: number;
  /** From the zones request being sent until its first byte came back. */
  zonesWaitMs: number;
  basemapKb: number;
  jsKb: number;
  zonesApiKb: number;
  /** The page's `concord:` performance marks (src/web/app/milestones.ts), ms from navigation start. */
  milestones: Record<string, number>;
  /** Long animation frames before the first render: start +duration, and the scripts in them. */
  frames: string[];
}

/**
 * Loads `url` in the page (cold: browser cache cleared first) and times it with the page's own clock,
 * whose zero is navigation start. Done is when `window.__concord.zoneIds()` (src/web/map/testHook.ts)
 * holds `expected` zones and two animation frames have passed, i.e. the map has painted them.
 */
export async function timeLoad(
  page: Page,
  cdp: CDPSession,
  url: string,
  expected: number,
  cold: boolean,
  expectedTracks = 0,
): Promise<LoadTiming> {
  await page.goto('about:blank');
  if (cold) await cdp.send('Network.clearBrowserCache');
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(
    async ([expected, expectedTracks]: [number, number]) => {
      const w = window as unknown as {
        __concord?: { zoneIds(): string[]; trackIds(): string[] };
        __benchLongTasks: { start: number; duration: number }[];
      };
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      const deadline = performance.now() + 120_000;
      // With tracks, done also waits for `expectedTracks` of them to be on the map.
      while (
        (w.__concord?.zoneIds().length ?? 0) < expected ||
        (expectedTracks > 0 && (w.__concord?.trackIds().length ?? 0) < expectedTracks)
      ) {
        if (performance.now() > deadline) {
          throw new Error(
            `only ${w.__concord?.zoneIds().length ?? 0} of ${expected} zones and ${w.__concord?.trackIds().length ?? 0} of ${expectedTracks} tracks after 120 s`,
          );
        }
        await frame();
      }
      const zonesInSourceMs = performance.now();
      await frame();
      await frame();
      const firstRenderMs = performance.now();
      await new Promise((r) => setTimeout(r, 2000));
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const kb = (list: PerformanceResourceTiming[]) =>
        list.reduce((s, e) => s + e.encodedBodySize, 0) / 1024;
      const wire = (list: PerformanceResourceTiming[]) => list.reduce((s, e) => s + e.transferSize, 0) / 1024;
      const basemap = resources.filter((e) => /countries-[^/]*\.json/.test(e.name));
      const zonesApi = resources.filter((e) => /\/api\/v1\/zones(\?|$)/.test(e.name));
      const tasks = w.__benchLongTasks;
      return {
        firstRenderMs,
        zonesInSourceMs,
        domContentLoadedMs: nav?.domContentLoadedEventEnd ?? Number.NaN,
        zonesResponseEndMs: zonesApi[0]?.responseEnd ?? Number.NaN,
        basemapResponseEndMs: basemap[0]?.responseEnd ?? Number.NaN,
        longTaskMs: tasks.reduce((s, t) => s + t.duration, 0),
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        quietMs: tasks.reduce((m, t) => Math.max(m, t.start + t.duration), 0),
        transferKb: (nav?.encodedBodySize ?? 0) / 1024 + kb(resources),
        wireKb: (nav?.transferSize ?? 0) / 1024 + wire(resources),
        zonesWaitMs: zonesApi[0] ? zonesApi[0].responseStart - zonesApi[0].requestStart : Number.NaN,
        basemapKb: kb(basemap),
        jsKb: kb(resources.filter((e) => /\.js(\?|$)/.test(e.name))),
        zonesApiKb: kb(zonesApi),
        frames: (window as unknown as { __benchFrames: string[] }).__benchFrames.filter(
          (l) => Number(l.split(' ')[0]) < firstRenderMs,
        ),
        milestones: Object.fromEntries(
          performance
            .getEntriesByType('mark')
            .filter((m) => m.name.startsWith('concord:'))
            .map((m) => [m.name.slice('concord:'.length), Math.round(m.startTime)]),
        ),
      };
    },
    [expected, expectedTracks] as [number, number],
  );
}

export interface PanTiming {
  frames: number;
  medianFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  /** Pan time divided by frames: unlike the median, long frames weigh by their length. */
  meanFrameMs: number;
  fps: number;
  longTaskMs: number;
  panSeconds: number;
  /** Pointer moves the page received per second (Chromium coalesces them to one per frame). */
  pointerMovesPerSec: number;
  /** The longest frame in the second and a half after the mouse is released (full redraw at rest). */
  settleMaxFrameMs: number;
}

interface PanState {
  frames: number[];
  tasks: number;
  moves: number;
  releasedAt: number;
  stop: boolean;
}

/** The read-out under the pointer (src/web/map/CoordinateReadout.tsx) after hovering at x, y. */
async function positionAt(page: Page, x: number, y: number): Promise<string> {
  await page.mouse.move(x, y);
  await page.waitForTimeout(150);
  return (await page.getByTestId('coord-readout').textContent()) ?? '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Drags the map in circles for `seconds` as a mouse does: moves arrive at 60 Hz whether or not the
 * page keeps up (sent over CDP without waiting for each to be handled), and Chromium coalesces them
 * to one per frame. The page records the time of every animation frame; frame time is the gap
 * between consecutive frames. The drag ends half a turn from its start, so the map must have moved:
 * checked with the position read-out.
 */
export async function timePan(page: Page, cdp: CDPSession, seconds: number): Promise<PanTiming> {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map element is not visible');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const radius = Math.min(box.width, box.height) / 4;
  const turnMs = 2000;
  const turns = Math.max(0.5, Math.round((seconds * 1000) / turnMs - 0.5) + 0.5);
  const at = (ms: number) => {
    const a = (Math.min(ms, turns * turnMs) / turnMs) * 2 * Math.PI;
    return { x: cx + radius * Math.cos(a), y: cy + radius * Math.sin(a) };
  };
  // Without focus on the map, the first drag after a page load does not pan in headless Chromium.
  await page.getByTestId('map').focus();
  const before = await positionAt(page, at(0).x, at(0).y);
  await page.evaluate(() => {
    const state: PanState = {
      frames: [],
      tasks: 0,
      moves: 0,
      releasedAt: Number.POSITIVE_INFINITY,
      stop: false,
    };
    (window as unknown as { __benchPan: PanState }).__benchPan = state;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.startTime < state.releasedAt) state.tasks += e.duration;
    });
    try {
      observer.observe({ type: 'longtask' });
    } catch {
      // No long-task timing: reported as zero.
    }
    const onMove = () => {
      if (performance.now() < state.releasedAt) state.moves++;
    };
    document.addEventListener('pointermove', onMove, { capture: true });
    const loop = (t: number) => {
      state.frames.push(t);
      if (!state.stop) return requestAnimationFrame(loop);
      observer.disconnect();
      document.removeEventListener('pointermove', onMove, { capture: true });
    };
    requestAnimationFrame(loop);
  });
  const mouse = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', p: { x: number; y: number }) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x: p.x,
      y: p.y,
      button: 'left',
      buttons: type === 'mouseReleased' ? 0 : 1,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    });
  await mouse('mousePressed', at(0));
  const start = performance.now();
  const sent: Promise<unknown>[] = [];
  for (let tick = 1; ; tick++) {
    await sleep(start + tick * (1000 / 60) - performance.now());
    const elapsed = performance.now() - start;
    sent.push(mouse('mouseMoved', at(elapsed)));
    if (elapsed >= turns * turnMs) break;
  }
  await Promise.all(sent);
  await page.evaluate(() => {
    (window as unknown as { __benchPan: PanState }).__benchPan.releasedAt = performance.now();
  });
  await mouse('mouseReleased', at(turns * turnMs));
  await page.waitForTimeout(1500);
  const state = await page.evaluate(() => {
    const s = (window as unknown as { __benchPan: PanState }).__benchPan;
    s.stop = true;
    return s;
  });
  const after = await positionAt(page, at(0).x, at(0).y);
  if (before === after) throw new Error(`dragging did not move the map (read-out stayed "${before}")`);
  const during = state.frames.filter((t) => t <= state.releasedAt);
  const settle = state.frames.filter((t) => t >= during[during.length - 1]!);
  const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);
  const panGaps = gaps(during);
  const spanMs = during[during.length - 1]! - during[0]!;
  return {
    frames: panGaps.length,
    medianFrameMs: r1(median(panGaps)),
    p95FrameMs: r1(quantile(panGaps, 0.95)),
    maxFrameMs: r1(Math.max(...panGaps)),
    meanFrameMs: r1(spanMs / panGaps.length),
    fps: r1((panGaps.length * 1000) / spanMs),
    longTaskMs: r1(state.tasks),
    panSeconds: r1(spanMs / 1000),
    pointerMovesPerSec: r1((state.moves * 1000) / spanMs),
    settleMaxFrameMs: r1(Math.max(0, ...gaps(settle))),
  };
}

export async function jsHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return r1(used / (1024 * 1024));
}
