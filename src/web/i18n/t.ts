import { en, type MessageKey } from './en';

export type { MessageKey };

/**
 * Looks up a message and fills `{name}` placeholders. One catalog for now; the indirection keeps
 * every string in one place so that a second language is a new file, not a hunt through components.
 */
export function t(key: MessageKey, vars?: Readonly<Record<string, string | number>>): string {
  const text: string = en[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** Dates and times on screen are shown in UTC with the Z suffix, the way the centre reports them. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** As `formatUtc`, to the second: tracks move every second. */
export function formatUtcSeconds(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
