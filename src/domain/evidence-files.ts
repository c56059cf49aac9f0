/**
 * What files evidence may be, how their first bytes are checked against the declared type, and
 * how a filename is made safe to store and to send back in a Content-Disposition header.
 */

/** A family of content recognised by its first bytes. */
export type Signature = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'pdf' | 'zip' | 'ole' | 'executable';

/**
 * Allowed media types and the signature their content must carry (null: no check by content, but
 * content recognised as something else is still refused).
 */
export const EVIDENCE_MEDIA_TYPES: Readonly<Record<string, Signature | null>> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/tiff': 'tiff',
  'image/heic': null,
  'image/heif': null,
  'video/mp4': null,
  'video/quicktime': null,
  'video/webm': null,
  'video/mpeg': null,
  'video/x-matroska': null,
  'audio/mpeg': null,
  'audio/mp4': null,
  'audio/aac': null,
  'audio/ogg': null,
  'audio/wav': null,
  'audio/webm': null,
  'audio/flac': null,
  'application/pdf': 'pdf',
  'application/msword': 'ole',
  'application/vnd.ms-excel': 'ole',
  'application/vnd.ms-powerpoint': 'ole',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
  'application/vnd.oasis.opendocument.presentation': 'zip',
  'text/plain': null,
  'text/csv': null,
  'text/markdown': null,
  'application/zip': 'zip',
};

/** What browsers and tools also send for the same types. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'application/x-zip-compressed': 'application/zip',
  'application/x-pdf': 'application/pdf',
};

/** Types a browser may show in place (the rest are always downloaded). */
export function isInlineSafe(mediaType: string): boolean {
  return (
    /^(image|video|audio)\//.test(mediaType) ||
    mediaType === 'application/pdf' ||
    mediaType === 'text/plain' ||
    mediaType === 'text/csv'
  );
}

/** Lower case, without parameters, aliases resolved. */
export function normaliseMediaType(declared: string): string {
  const t = declared.split(';')[0]!.trim().toLowerCase();
  return ALIASES[t] ?? t;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const SNIFFED_TYPES: Partial<Record<Signature, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};

/**
 * The media type to record: the declared one, normalised; when the client declared none or only
 * `application/octet-stream` (curl and some browsers for unknown extensions), the type the first
 * bytes show, if they show one of the common image or PDF formats.
 */
export function resolveMediaType(declared: string | undefined, head: Uint8Array): string {
  const t = normaliseMediaType(declared ?? '');
  if (t !== '' && t !== 'application/octet-stream') return t;
  const found = sniffSignature(head);
  return (found && SNIFFED_TYPES[found]) || t;
}

/** Recognises the common binary formats by their first bytes; null when none matches. */
export function sniffSignature(head: Uint8Array): Signature | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  // Windows PE and ELF executables, Mach-O: never evidence in themselves, and a risk to whoever opens them.
  if (startsWith(head, ascii('MZ')) || startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'executable';
  if (startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]))
    return 'executable';
  return null;
}

/** Why a file of this declared type and first bytes is refused, or null when it is accepted. */
export function mediaTypeProblem(mediaType: string, head: Uint8Array): string | null {
  if (!(mediaType in EVIDENCE_MEDIA_TYPES))
    return `Files of type ${mediaType || '(none)'} are not accepted as evidence; send an image, video, audio, PDF, office document, text or zip file.`;
  const expected = EVIDENCE_MEDIA_TYPES[mediaType] ?? null;
  const found = sniffSignature(head);
  if (found === 'executable') return 'The file is an executable program, not evidence Concord accepts.';
  if (expected && found !== expected)
    return `The file is declared ${mediaType} but its content is ${found ? `a ${found} file` : 'not of that type'}.`;
  if (!expected && found)
    return `The file is declared ${mediaType} but its content is a ${found} file; declare its real type.`;
  return null;
}

/** Control characters (Cc), invisible format characters such as bidi overrides (Cf), reserved ones. */
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}<>:"/\\|?*]/gu;

/**
 * A filename safe to store and show: the last path component, NFC, without control, bidi-override
 * or reserved characters, no leading dots, at most 200 characters with its extension kept.
 */
export function safeFilename(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  let s = base
    .normalize('NFC')
    .replace(UNSAFE_CHARS, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if ([...s].length > 200) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = [...s].slice(0, 200 - [...ext].length).join('') + ext;
  }
  return s || 'evidence';
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): ASCII fallback and the exact name. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
