import { readFileSync } from 'node:fs';

import type { Browser, Page } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../../preview/server/startPreviewServer.js';
import type { Recording } from './recording.js';
import { startRecordedSidecar, type RecordedSidecar } from './startRecordedSidecar.js';

export const APP_BASE = 'a/seismo-aiops-app';
export const SIDECAR_TOKEN = 'app-pages-preview-token';

/** The sidecar's recorded answers for the app pages (fixtures/app-pages). */
export function loadRecording(): Recording {
  return JSON.parse(readFileSync(new URL('../fixtures/app-pages/recording.json', import.meta.url), 'utf8'));
}

export interface AppPreview {
  recording: Recording;
  sidecar: RecordedSidecar;
  server: PreviewServer;
  close(): Promise<void>;
}

/**
 * The preview server in front of a stand-in sidecar that answers as the recorded one did, with the
 * server's clock at the moment of the recording (its health check says how old the last cycle is).
 */
export async function startAppPreview(recording = loadRecording()): Promise<AppPreview> {
  const sidecar = await startRecordedSidecar(recording, SIDECAR_TOKEN);
  const server = await startPreviewServer({
    sidecar: { url: sidecar.url, token: SIDECAR_TOKEN },
    now: () => recording.recordedAt * 1000,
  });
  return {
    recording,
    sidecar,
    server,
    close: async () => {
      await server.close();
      await sidecar.close();
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors and failed responses, each with what it concerned. */
  problems: string[];
}

export interface OpenAppPageOptions {
  /**
   * Unix seconds the browser's clock is fixed at, for recorded answers (so "open for" and "last
   * cycle ... ago" read as they did then); leave it out against a live sidecar.
   */
  recordedAt?: number;
  theme?: 'light' | 'dark';
  width?: number;
  height?: number;
}

/**
 * Opens a page of the app in the preview (`path` below the server's URL, e.g.
 * `a/seismo-aiops-app/overview`), waits until the host has mounted it, and collects everything
 * that goes wrong on the page: console errors, page errors and failed responses.
 */
export async function openAppPage(
  browser: Browser,
  baseUrl: string,
  path: string,
  options: OpenAppPageOptions = {}
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 1000 } });
  if (options.recordedAt !== undefined) {
    await page.clock.setFixedTime(options.recordedAt * 1000);
  }
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} ${response.url()}`);
    }
  });
  const query = options.theme ? `?theme=${options.theme}` : '';
  await page.goto(`${baseUrl}${path}${query}`);
  await page.waitForFunction(() => window.__seismoPreview?.ready === true, undefined, { timeout: 60_000 });
  return { page, problems };
}
