import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Info, parse } from 'csv-parse';
import { HASHTAG_ROW_SEARCH, isHashtagRow } from '../../../domain/hxl.js';
import { Problem } from '../../platform/errors.js';

/** The uploaded file on disk while its job runs, and the CSV reading both ends share. */

export interface ReceivedCsv {
  file: string;
  bytes: number;
  /** Lines in the file: an estimate of the rows (exact unless quoted cells hold line breaks). */
  lines: number;
}

export const tooLarge = (maxBytes: number) =>
  new Problem(
    413,
    'import-too-large',
    'Import file too large',
    `Import files are at most ${Math.round(maxBytes / (1024 * 1024))} MB.`,
    { maxBytes },
  );

/** Streams the request body to a temporary file, counting bytes and lines, under the size cap. */
export async function receiveCsv(body: Readable, maxBytes: number): Promise<ReceivedCsv> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'concord-import-'));
  const file = path.join(dir, 'upload.csv');
  let bytes = 0;
  let lines = 0;
  let last = 10;
  let over = false;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            over = true;
            throw tooLarge(maxBytes);
          }
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          if (chunk.length) last = chunk[chunk.length - 1]!;
          yield chunk;
        }
      },
      fs.createWriteStream(file),
    );
  } catch (e) {
    await discardCsv(file);
    if (over) throw tooLarge(maxBytes);
    throw e;
  }
  // A last line without a line break is a line too.
  return { file, bytes, lines: last === 10 ? lines : lines + 1 };
}

export async function discardCsv(file: string): Promise<void> {
  await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
}

/** Tolerant reading: ragged rows, stray quotes inside unquoted cells, a BOM, blank lines. */
export function csvParser(extra: { to?: number } = {}) {
  return parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    ...extra,
  });
}

export interface CsvRecord {
  record: string[];
  info: Info;
}

export interface HeaderRows {
  /** The hashtag row's record number (1-based, as csv-parse counts records). */
  recordNumber: number;
  hashtags: string[];
  /** The text header just above it, if any. */
  headers: string[] | null;
}

/** Finds the hashtag row among the first records of the file; null when there is none. */
export async function findHashtagRow(file: string): Promise<HeaderRows | null> {
  const source = fs.createReadStream(file);
  const parser = source.pipe(csvParser({ to: HASHTAG_ROW_SEARCH }));
  const seen: string[][] = [];
  try {
    for await (const r of parser as AsyncIterable<CsvRecord>) {
      if (isHashtagRow(r.record))
        return { recordNumber: r.info.records, hashtags: r.record, headers: seen.at(-1) ?? null };
      seen.push(r.record);
    }
  } catch {
    return null;
  } finally {
    parser.destroy();
    source.destroy();
  }
  return null;
}
