import type { Classification } from '../../domain/marking';

const LEVELS: readonly Classification[] = ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET'];

/** The classification a marking text starts with (`SECRET//REL TO USA` → SECRET). */
export function classificationOf(markingText: string | null | undefined): Classification {
  const head = (markingText ?? '').split('//')[0]?.trim().toUpperCase() ?? '';
  return LEVELS.find((c) => c === head) ?? 'UNCLASSIFIED';
}

/** CSS modifier for the classification colours: green, blue (RESTRICTED and CONFIDENTIAL), red. */
export function classificationTone(c: Classification): 'unclassified' | 'restricted' | 'secret' {
  if (c === 'SECRET') return 'secret';
  if (c === 'RESTRICTED' || c === 'CONFIDENTIAL') return 'restricted';
  return 'unclassified';
}
