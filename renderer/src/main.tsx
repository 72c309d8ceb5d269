import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startSync } from './actions/project';
import { initClient } from './client';
import { App } from './App';
import { pickTransport } from './transport';
import './styles/theme.css';
import './styles/start.css';
import './styles/workspace.css';
import './styles/media.css';
import './styles/storyboard.css';
import './styles/timeline.css';
import './styles/viewer.css';
import './styles/dialogs.css';
import './styles/cameos.css';

// The studio URL's one-time ?token= is traded for a session, and removed from the address
// bar, by the studio transport (transport/studio.ts) as soon as it is created.
initClient(pickTransport());
void startSync();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
