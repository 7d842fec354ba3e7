// Who may take whom: a resident who chose one association is taken by its counsellors; "either" by both.
import { ASSOCIATIONS, type Association, type AssociationChoice } from '../protocol/index.ts';

export function takersOf(choice: AssociationChoice): readonly Association[] {
  return choice === 'either' ? ASSOCIATIONS : [choice];
}
