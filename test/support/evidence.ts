import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Client, TestServer } from './server.js';

export interface UploadFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A multipart/form-data body: the fields in order, then the file (or the file first when asked). */
export function multipartBody(
  fields: Record<string, string>,
  file: UploadFile | null,
  opts: { fileFirst?: boolean; fileField?: string } = {},
): { body: Buffer; contentType: string } {
  const boundary = `----concord${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const filePart = (f: UploadFile) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${opts.fileField ?? 'file'}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]);
  if (file && opts.fileFirst) parts.push(filePart(file));
  for (const [k, v] of Object.entries(fields)) parts.push(field(k, v));
  if (file && !opts.fileFirst) parts.push(filePart(file));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a file as the client (its session cookie and CSRF token). */
export function uploadEvidence(
  server: TestServer,
  c: Client,
  incidentId: string,
  file: UploadFile | null,
  fields: Record<string, string> = {},
  opts: { fileFirst?: boolean; fileField?: string } = {},
): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipartBody(fields, file, opts);
  return server.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incidentId}/evidence`,
    headers: { cookie: c.sessionCookie, 'x-csrf-token': c.csrf, 'content-type': contentType },
    payload: body,
  });
}

/** The first bytes of a PNG and of a PDF, enough for the content check. */
export const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const PDF_HEAD = Buffer.from('%PDF-1.7\n');

/** A file of the given kind with random content after its signature (unique per call). */
export function fakeFile(kind: 'png' | 'pdf' | 'text', size = 1024): Buffer {
  const head = kind === 'png' ? PNG_HEAD : kind === 'pdf' ? PDF_HEAD : Buffer.from('Witness statement\n');
  const body =
    kind === 'text' ? Buffer.from(randomBytes(size).toString('hex').slice(0, size)) : randomBytes(size);
  return Buffer.concat([head, body]);
}
