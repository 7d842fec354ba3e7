// Supervisor page entry. Nothing is kept in browser storage: the session token and, while unlocked, the
// association signing key live in the controller's memory and go with the tab.
import { createRoot } from 'react-dom/client';
import { SupervisorApp } from './SupervisorApp.tsx';
import { SupervisorController } from './supervisor-controller.ts';
import '../shared/base.css';
import '../console/console.css';
import './supervisor.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('supervisor: #root is missing from index.html');

const controller = new SupervisorController();
createRoot(rootElement).render(<SupervisorApp controller={controller} />);
