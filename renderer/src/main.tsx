/**
 * Entry point: wires the real API, the store and the live stream into the React tree.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createInventoryApi } from './api/trpc-client.ts';
import { connectInventory } from './store/connect.ts';
import { createInventoryStore } from './store/inventory-store.ts';
import { App } from './ui/App.tsx';
import { AppProvider, type AppDeps } from './ui/app-context.tsx';
import './styles.css';

const deps: AppDeps = { api: createInventoryApi(), inventory: createInventoryStore() };
connectInventory(deps.api, deps.inventory);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProvider deps={deps}>
      <App />
    </AppProvider>
  </StrictMode>,
);
