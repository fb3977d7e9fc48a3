/**
 * The desktop window and its hardening. The window shows the backend's web UI, nothing else:
 * no Node in the page, no navigation away, no new windows, no permissions.
 *
 * @see https://www.electronjs.org/docs/latest/tutorial/security
 */
import { CONTENT_SECURITY_POLICY } from '@nodeless/common';
import { BrowserWindow, session, shell } from 'electron';
import { isSameOrigin } from './origin.ts';

export function hardenSession(origin: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // The CSP the backend sends, set again so it holds even if a header were lost.
    if (isSameOrigin(details.url, origin)) {
      headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    }
    callback({ responseHeaders: headers });
  });
}

export function createMainWindow(startUrl: string, origin: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Nodeless',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links to elsewhere open in the user's browser; the app window never leaves its origin.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isSameOrigin(url, origin)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(startUrl);
  return win;
}
