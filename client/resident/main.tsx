// Resident entry: quick exit is attached before React renders (usually earlier still: quick-exit.ts is also the
// page's first, async script); crypto and Socket.IO are loaded by the controller after the first render, so the
// exit control and first screen never wait for them. `react`/`react-dom` are preact/compat here (vite.config.ts).
import { attachQuickExit, onPageRestored, onQuickExit } from './quick-exit.ts';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ResidentController } from './resident-controller.ts';
import '../shared/base.css';
import './resident.css';

attachQuickExit(); // idempotent: a no-op when the early script has already run

const controller = new ResidentController();
onQuickExit(() => controller.wipeForExit());

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('resident: #root is missing from index.html');
const root = createRoot(rootElement);

// A new key remounts the whole tree: form answers and language go back to their empty defaults.
let generation = 0;
function render(): void {
  root.render(<App key={generation} controller={controller} />);
}

onPageRestored(() => {
  controller.backToStart();
  generation += 1;
  render();
});

render();
