/**
 * `<input type="datetime-local">` has no time zone; Concord's forms read and write it as UTC, and
 * say so on the label, because the centre works in UTC whatever the browser's zone.
 */

/** ISO time → the input's value (`2025-06-01T12:00`), in UTC. */
export function isoToUtcInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

/** The input's value, read as UTC → ISO 8601 with Z; null when empty or unreadable. */
export function utcInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
