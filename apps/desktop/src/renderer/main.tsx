/** The renderer's entry: connects the bridge and renders the app. No Node, no Electron here. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.js';
import { connectBridge } from './api/bridge.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={connectBridge()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
