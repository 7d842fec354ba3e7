// The plain safety page (/safety): readable without this script; with it, Exit replaces the page like on the
// chat page (so Back does not return here) and the keyboard shortcuts work. No state, nothing stored.
import { attachQuickExit } from './quick-exit.ts';
import '../shared/base.css';
import './resident.css';
import './safety.css';

attachQuickExit();
