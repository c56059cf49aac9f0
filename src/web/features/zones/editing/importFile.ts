import { t } from '../../../i18n/t';

export interface ParsedImport {
  fileName: string;
  features: unknown[];
}

export interface ImportRowInfo {
  index: number;
  name: string | null;
  kind: string | null;
  hasMarking: boolean;
  geometry: unknown;
}

/**
 * Reads a GeoJSON file in the browser so that a wrong file is explained before anything is sent:
 * not JSON at all, or JSON but not a FeatureCollection.
 */
export function parseImportText(fileName: string, text: string): ParsedImport | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return {
      error: t('import.notJson', { file: fileName, detail: e instanceof Error ? e.message : String(e) }),
    };
  }
  const fc = data as { type?: unknown; features?: unknown };
  if (typeof data !== 'object' || data === null || Array.isArray(data) || fc.type !== 'FeatureCollection') {
    const found = Array.isArray(data)
      ? t('import.foundArray')
      : typeof data === 'object' && data !== null && typeof fc.type === 'string'
        ? fc.type
        : typeof data;
    return { error: t('import.notCollection', { file: fileName, found }) };
  }
  if (!Array.isArray(fc.features)) return { error: t('import.noFeaturesArray', { file: fileName }) };
  if (fc.features.length === 0) return { error: t('import.empty', { file: fileName }) };
  return { fileName, features: fc.features };
}

export function rowInfo(feature: unknown, index: number): ImportRowInfo {
  const f = (typeof feature === 'object' && feature !== null ? feature : {}) as {
    geometry?: unknown;
    properties?: unknown;
  };
  const p = (typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Record<
    string,
    unknown
  >;
  return {
    index,
    name: typeof p.name === 'string' && p.name.trim() ? p.name.trim() : null,
    kind: typeof p.kind === 'string' ? p.kind : null,
    hasMarking: p.marking !== undefined && p.marking !== null,
    geometry: f.geometry,
  };
}
