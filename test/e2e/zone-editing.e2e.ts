import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession, waitFor, zoneNames } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';
import { squareZone } from '../support/fixtures.js';

const stage = e2eStage();

const signedIn = (username: string, viewport = DESKTOP) => stage.signedIn(username, viewport);

/** Clicks the corners of a shape around the map's centre, double-clicking the last to finish. */
async function drawOnMap(page: Page, offsets: [number, number][]): Promise<void> {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map not visible');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (const [i, [dx, dy]] of offsets.entries()) {
    if (i === offsets.length - 1) await page.mouse.dblclick(cx + dx, cy + dy);
    else await page.mouse.click(cx + dx, cy + dy);
    // Apart by more than a double-click, so each click is one point.
    await page.waitForTimeout(300);
  }
}

const SQUARE: [number, number][] = [
  [-60, -40],
  [60, -40],
  [60, 40],
  [-60, 40],
];

async function openZone(page: Page, name: string): Promise<void> {
  await page.getByTestId('search-input').fill(name);
  await page.locator('.zone-list__item', { hasText: name }).first().click();
  await page.getByTestId('details-panel').getByRole('heading', { name }).waitFor();
}

function polygon(lon: number, lat: number, d = 0.01, closed = true): unknown {
  const ring = [
    [lon - d, lat - d],
    [lon + d, lat - d],
    [lon + d, lat + d],
    [lon - d, lat + d],
  ];
  return { type: 'Polygon', coordinates: [closed ? [...ring, ring[0]] : ring] };
}

describe('zone editing', () => {
  it('a planner draws a zone REL TO USA, GBR: GBR sees it live, the NGO never does', async () => {
    const [usa, gbr, ngo] = await Promise.all([
      signedIn('usa.planner'),
      signedIn('gbr.planner'),
      signedIn('ngo.field'),
    ]);

    await usa.getByTestId('draw-zone').click();
    await usa.getByTestId('draw-kind').selectOption('restricted-area');
    await usa.screenshot({ path: path.join(stage.shots, 'draw-choose-1440.png') });
    await usa.getByTestId('draw-start').click();
    await usa.screenshot({ path: path.join(stage.shots, 'drawing-1440.png') });
    await drawOnMap(usa, SQUARE);

    const form = usa.getByTestId('zone-form');
    await form.waitFor();
    await usa.getByTestId('zone-name').fill('E2E drawn area');
    await usa.screenshot({ path: path.join(stage.shots, 'draw-form-1440-top.png') });
    await usa.getByTestId('marking-classification').selectOption('RESTRICTED');
    // The planner's own nation is ticked by default and cannot be removed.
    expect(await usa.getByTestId('marking-rel-USA').isChecked()).toBe(true);
    await usa.getByTestId('marking-rel-USA').click();
    expect(await usa.getByTestId('marking-rel-USA').isChecked()).toBe(true);
    await expect.poll(() => usa.getByTestId('marking-own-hint').textContent()).toContain('USA');
    await usa.getByTestId('marking-rel-GBR').check();
    await expect
      .poll(() => usa.getByTestId('marking-preview').textContent())
      .toBe('RESTRICTED//REL TO USA, GBR');
    await usa.screenshot({ path: path.join(stage.shots, 'draw-form-1440.png') });

    await usa.getByTestId('zone-save').click();
    await waitFor(async () => (await zoneNames(usa)).includes('E2E drawn area'));
    await waitFor(async () => (await zoneNames(gbr)).includes('E2E drawn area'));
    // The NGO's feed has had every chance to deliver it by now.
    await ngo.waitForTimeout(500);
    expect(await zoneNames(ngo)).not.toContain('E2E drawn area');
    await expect
      .poll(() => usa.getByTestId('details-panel').textContent())
      .toContain('RESTRICTED//REL TO USA, GBR');
  });

  it('shows the server’s reason and keeps the form when a save is refused', async () => {
    const usa = await signedIn('usa.planner');
    await usa.getByTestId('draw-zone').click();
    await usa.getByTestId('draw-kind').selectOption('humanitarian-zone');
    await usa.getByTestId('draw-start').click();
    await drawOnMap(usa, SQUARE);
    await usa.getByTestId('zone-name').fill('E2E refused area');
    // An end before the start is caught in the browser, with the field named.
    await usa.getByTestId('zone-valid-from').fill('2030-01-02T10:00');
    await usa.getByTestId('zone-valid-to').fill('2030-01-01T10:00');
    await usa.getByTestId('zone-save').click();
    await expect.poll(() => usa.getByTestId('zone-form-error').textContent()).toContain('validTo');
    expect(await usa.getByTestId('zone-name').inputValue()).toBe('E2E refused area');

    // A name the server refuses (over 200 characters cannot be typed; use a NUL it cannot store).
    await usa.getByTestId('zone-valid-to').fill('');
    await usa.getByTestId('zone-valid-from').fill('');
    await usa.getByTestId('zone-name').fill('E2E refused \u0000 area');
    await usa.getByTestId('zone-save').click();
    await expect.poll(() => usa.getByTestId('zone-form-error').textContent()).toMatch(/NUL|cannot be stored/);
    expect(await usa.getByTestId('zone-name').inputValue()).toContain('E2E refused');
  });

  it('imports a GeoJSON file after a preview that names the bad feature', async () => {
    const usa = await signedIn('usa.planner');
    await usa.getByTestId('import-zones').click();

    await usa.getByTestId('import-file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"type": "FeatureCollection", '),
    });
    await expect.poll(() => usa.getByTestId('import-parse-error').textContent()).toContain('not valid JSON');

    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'E2E import north', kind: 'humanitarian-zone' },
          geometry: polygon(34.3, 31.36),
        },
        {
          type: 'Feature',
          properties: { name: 'E2E import open ring', kind: 'buffer-zone' },
          geometry: polygon(34.33, 31.36, 0.01, false),
        },
        {
          type: 'Feature',
          properties: {
            name: 'E2E import south',
            kind: 'sector',
            marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
          },
          geometry: polygon(34.27, 31.31),
        },
      ],
    };
    await usa.getByTestId('import-file').setInputFiles({
      name: 'zones.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(fc)),
    });
    const bad = usa.getByTestId('import-row-1');
    await expect.poll(() => bad.getAttribute('data-status')).toBe('error');
    expect(await bad.textContent()).toContain('not closed');
    expect(await usa.getByTestId('import-row-0').getAttribute('data-status')).toBe('ok');
    expect(await usa.getByTestId('import-row-2').getAttribute('data-status')).toBe('ok');
    await waitFor(async () => {
      const names = await usa.evaluate(
        () =>
          (window as unknown as { __concord?: { previewNames(): string[] } }).__concord?.previewNames() ?? [],
      );
      return names.includes('E2E import north') && names.includes('E2E import south');
    });
    expect(await usa.getByTestId('import-confirm').textContent()).toContain('Import 2 valid zones');
    // The map flies to the preview; vector layers draw once the flight ends.
    await usa.waitForTimeout(600);
    await usa.screenshot({ path: path.join(stage.shots, 'import-preview-1440.png') });

    await usa.getByTestId('import-confirm').click();
    await expect.poll(() => usa.getByTestId('import-result').textContent()).toContain('1 rejected');
    expect(await usa.getByTestId('import-result').textContent()).toContain('Imported 2');
    await waitFor(async () => {
      const names = await zoneNames(usa);
      return names.includes('E2E import north') && names.includes('E2E import south');
    });
    expect(await zoneNames(usa)).not.toContain('E2E import open ring');
  });

  it('refuses to overwrite a zone someone else changed: conflict, reload, save', async () => {
    const api = await apiSession(stage.server.url, 'usa.planner');
    const created = await api(
      'POST',
      '/api/v1/zones',
      squareZone(
        'E2E conflict area',
        { classification: 'UNCLASSIFIED', releasableTo: ['USA'] },
        34.45,
        31.45,
      ),
    );
    expect(created.status).toBe(201);
    const zone = (await created.json()) as { id: string };

    const usa = await signedIn('usa.planner');
    await waitFor(async () => (await zoneNames(usa)).includes('E2E conflict area'));
    await openZone(usa, 'E2E conflict area');
    await usa.getByTestId('edit-details').click();
    await usa.getByTestId('zone-form').waitFor();

    const other = await api('PUT', `/api/v1/zones/${zone.id}`, {
      ...squareZone(
        'E2E conflict area',
        { classification: 'UNCLASSIFIED', releasableTo: ['USA'] },
        34.45,
        31.45,
      ),
      description: 'changed elsewhere',
      version: 1,
    });
    expect(other.status, await other.clone().text()).toBe(200);

    await usa.getByTestId('zone-description').fill('my change');
    await usa.getByTestId('zone-save').click();
    const conflict = usa.getByTestId('conflict-message');
    await expect.poll(() => conflict.textContent()).toContain('now version 2');
    await usa.screenshot({ path: path.join(stage.shots, 'conflict-1440.png') });
    // Nothing was overwritten: the server still has the other change.
    const now = (await (await api('GET', `/api/v1/zones/${zone.id}`)).json()) as {
      properties: { version: number; description: string };
    };
    expect(now.properties).toMatchObject({ version: 2, description: 'changed elsewhere' });

    await usa.getByTestId('conflict-reload').click();
    await expect.poll(() => usa.getByTestId('zone-description').inputValue()).toBe('changed elsewhere');
    expect(await conflict.count()).toBe(0);
    await usa.getByTestId('zone-description').fill('both changes');
    await usa.getByTestId('zone-save').click();
    await expect.poll(() => usa.getByTestId('details-panel').textContent()).toContain('both changes');
  });

  it('reshapes a zone by dragging a corner and saves it as a new version', async () => {
    const api = await apiSession(stage.server.url, 'usa.planner');
    const created = await api(
      'POST',
      '/api/v1/zones',
      squareZone('E2E reshape me', { classification: 'UNCLASSIFIED', releasableTo: ['USA'] }, 34.4, 31.42),
    );
    expect(created.status).toBe(201);
    const zone = (await created.json()) as { id: string };
    const usa = await signedIn('usa.planner');
    await waitFor(async () => (await zoneNames(usa)).includes('E2E reshape me'));
    await openZone(usa, 'E2E reshape me');
    await usa.getByTestId('edit-geometry').click();
    await usa.getByTestId('geometry-panel').waitFor();
    // Let the zoom to the zone settle before finding the corner on screen.
    await usa.waitForTimeout(600);
    const box = (await usa.getByTestId('map').boundingBox())!;
    const corner = await usa.evaluate(
      () =>
        (
          window as unknown as { __concord?: { pixelAt(lon: number, lat: number): [number, number] | null } }
        ).__concord?.pixelAt(34.41, 31.43) ?? null,
    );
    if (!corner) throw new Error('corner not on the map');
    const [x, y] = [box.x + corner[0], box.y + corner[1]];
    await usa.mouse.move(x, y);
    await usa.mouse.down();
    await usa.mouse.move(x + 40, y - 30, { steps: 8 });
    await usa.mouse.up();
    await usa.getByTestId('geometry-save').click();
    await expect.poll(() => usa.getByTestId('details-panel').textContent()).toContain('Version2');
    const now = (await (await api('GET', `/api/v1/zones/${zone.id}`)).json()) as {
      geometry: { coordinates: number[][][] };
    };
    const [lon, lat] = now.geometry.coordinates[0]![2]!;
    expect(lon).toBeGreaterThan(34.411);
    expect(lat).toBeGreaterThan(31.431);
  });

  it('deletes a zone after confirmation and undoes it', async () => {
    const usa = await signedIn('usa.planner');
    const api = await apiSession(stage.server.url, 'usa.planner');
    const created = await api(
      'POST',
      '/api/v1/zones',
      squareZone(
        'E2E delete me',
        { classification: 'UNCLASSIFIED', releasableTo: ['USA', 'GBR'] },
        34.42,
        31.47,
      ),
    );
    expect(created.status).toBe(201);
    await waitFor(async () => (await zoneNames(usa)).includes('E2E delete me'));
    await openZone(usa, 'E2E delete me');
    await usa.getByTestId('delete-zone').click();
    await expect.poll(() => usa.getByTestId('delete-dialog').textContent()).toContain('E2E delete me');
    await usa.screenshot({ path: path.join(stage.shots, 'delete-dialog-1440.png') });
    await usa.getByTestId('confirm-delete').click();
    await waitFor(async () => !(await zoneNames(usa)).includes('E2E delete me'));
    await usa.screenshot({ path: path.join(stage.shots, 'undo-1440.png') });
    await usa.getByTestId('undo-delete').click();
    await waitFor(async () => (await zoneNames(usa)).includes('E2E delete me'));
    await expect.poll(() => usa.getByTestId('editor-notice').textContent()).toContain('history keeps');
  });

  it('shows no drawing or import to a field user, who can still measure', async () => {
    const ngo = await signedIn('ngo.field');
    expect(await ngo.getByTestId('draw-zone').count()).toBe(0);
    expect(await ngo.getByTestId('import-zones').count()).toBe(0);
    await openZone(ngo, 'Gaza Strip');
    expect(await ngo.getByTestId('edit-details').count()).toBe(0);
    expect(await ngo.getByTestId('delete-zone').count()).toBe(0);
    await ngo.getByTestId('details-panel').getByRole('button', { name: 'Close details' }).click();

    await ngo.getByTestId('measure-tool').click();
    await drawOnMap(ngo, [
      [-150, 0],
      [0, -40],
      [150, 0],
    ]);
    await expect.poll(() => ngo.getByTestId('measure-result').textContent()).toMatch(/\d+\.\d\d km/);
    await ngo.screenshot({ path: path.join(stage.shots, 'measure-1440.png') });
    await ngo.keyboard.press('Escape');
    await expect.poll(() => ngo.getByTestId('measure-result').textContent()).not.toMatch(/km/);
  });

  it('fits a phone: drawing form, import preview and measuring as sheets under the map', async () => {
    const usa = await signedIn('usa.planner', PHONE);
    await usa.getByTestId('draw-zone').click();
    await usa.getByTestId('draw-kind').selectOption('crossing');
    await usa.screenshot({ path: path.join(stage.shots, 'draw-choose-390.png') });
    await usa.getByTestId('draw-kind').selectOption('sector');
    await usa.getByTestId('draw-start').click();
    await usa.screenshot({ path: path.join(stage.shots, 'drawing-390.png') });
    await drawOnMap(usa, [
      [-50, -30],
      [50, -30],
      [50, 30],
      [-50, 30],
    ]);
    await usa.getByTestId('zone-form').waitFor();
    await usa.getByTestId('zone-name').fill('E2E phone sector');
    await usa.screenshot({ path: path.join(stage.shots, 'draw-form-390.png') });
    await usa.getByTestId('zone-save').scrollIntoViewIfNeeded();
    await usa.screenshot({ path: path.join(stage.shots, 'draw-form-390-bottom.png') });
    await usa.getByRole('button', { name: 'Cancel' }).click();

    await usa.getByTestId('import-zones').click();
    await usa.getByTestId('import-file').setInputFiles({
      name: 'phone.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { name: 'Phone A', kind: 'sector' },
              geometry: polygon(34.4, 31.45),
            },
            {
              type: 'Feature',
              properties: { name: 'Phone B', kind: 'nope' },
              geometry: polygon(34.35, 31.4),
            },
          ],
        }),
      ),
    });
    await expect.poll(() => usa.getByTestId('import-row-1').getAttribute('data-status')).toBe('error');
    await usa.getByTestId('import-preview').scrollIntoViewIfNeeded();
    await usa.waitForTimeout(600);
    await usa.screenshot({ path: path.join(stage.shots, 'import-preview-390.png') });
    await usa.getByRole('button', { name: 'Close import' }).click();

    await usa.getByTestId('measure-tool').click();
    await drawOnMap(usa, [
      [-100, 40],
      [100, -40],
    ]);
    await expect.poll(() => usa.getByTestId('measure-result').textContent()).toMatch(/\d+\.\d\d km/);
    await usa.screenshot({ path: path.join(stage.shots, 'measure-390.png') });
  });
});
