// Before she waits: refuse plainly when every association she accepts is closed at this hour or has nobody
// available on shift, so she is sent to 1522 and 112 at once instead of waiting for nobody.
import type { AssociationChoice, ErrorCode } from '../protocol/index.ts';
import type { OnShift } from '../store/shift.ts';
import type { Config } from './config.ts';
import { takersOf } from './matching.ts';
import { isOpen } from './opening-hours.ts';

export function admission(config: Config, choice: AssociationChoice, shift: readonly OnShift[], now: number): ErrorCode | null {
  const takers = takersOf(choice);
  const open = takers.filter((a) => isOpen(a === 'ebano' ? config.OPENING_HOURS_EBANO : config.OPENING_HOURS_TELEFONO_DONNA, now));
  if (open.length === 0) return 'CLOSED_HOURS';
  if (!shift.some((c) => c.availability === 'available' && open.includes(c.association))) return 'NOBODY_ON_SHIFT';
  return null;
}
