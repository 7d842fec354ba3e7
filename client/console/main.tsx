// Counsellor console entry. Nothing is kept in browser storage: the session token and keys live in the
// controller's memory and go with the tab.
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './ConsoleApp.tsx';
import { ConsoleController } from './console-controller.ts';
import '../shared/base.css';
import './console.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('console: #root is missing from index.html');

const controller = new ConsoleController();
createRoot(rootElement).render(<ConsoleApp controller={controller} />);
