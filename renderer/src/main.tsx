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

// The studio URL carries a one-time ?token= that the server already turned into a
// cookie; keep it out of the address bar and history.
if (!window.shotline && new URLSearchParams(location.search).has('token')) {
  const url = new URL(location.href);
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
}

initClient(pickTransport());
void startSync();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
