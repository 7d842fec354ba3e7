// Before she waits: refuse plainly when every association she accepts is closed at this hour or has nobody
// available on shift, so she is sent to 1522 and 112 at once instead of waiting for nobody.
import type { AssociationChoice, ErrorCode } from '../protocol/index.ts';
import type { OnShift } from '../store/shift.ts';
import type { OpeningHours } from './opening-hours.ts';
import { takersOf } from './matching.ts';
import { isOpen } from './opening-hours.ts';
import type { Association } from '../protocol/index.ts';

export function admission(
  hours: Record<Association, OpeningHours>,
  choice: AssociationChoice,
  shift: readonly OnShift[],
  now: number,
): ErrorCode | null {
  const takers = takersOf(choice);
  const open = takers.filter((a) => isOpen(hours[a], now));
  if (open.length === 0) return 'CLOSED_HOURS';
  if (!shift.some((c) => c.availability === 'available' && open.includes(c.association))) return 'NOBODY_ON_SHIFT';
  return null;
}
