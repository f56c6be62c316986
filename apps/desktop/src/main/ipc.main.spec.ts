/** IPC registration with a fake ipcMain: one channel per method, sender check, payloads validated by the dispatcher. */
import { describe, expect, it } from '@jest/globals';
import { API_METHOD_NAMES, type ApiMethod } from '../shared/api-methods.js';
import { dispatch } from '../node/dispatch.js';
import { notImplementedHandlers } from '../node/not-implemented.handlers.js';
import { registerIpcHandlers, type IpcMainLike, type InvokeEventLike } from './ipc.main.js';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

const fromWindow = (url = 'dirconn://app/', id = 7): InvokeEventLike => ({ sender: { id }, senderFrame: { url, parent: null } });

function setup() {
  const ipc = new FakeIpcMain();
  const calls: { method: ApiMethod; payload: unknown }[] = [];
  const handlers = { ...notImplementedHandlers, about: async () => ({ version: '1', face: 'desktop' as const, runtime: {}, platform: 'linux', dataDir: '/d', dataFile: '/d/data.json', reportsDir: '/d/reports', logFile: null }) };
  const unregister = registerIpcHandlers(ipc, {
    call: (method, payload) => {
      calls.push({ method, payload });
      return dispatch(handlers, method, payload, { face: 'desktop' });
    },
    trustedSenderIds: () => [7],
  });
  return { ipc, calls, unregister };
}

describe('IPC registration', () => {
  it('registers exactly one channel per contract method, and removes them all', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map((m) => `dirconn:${m}`).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('has no generic channel: an unknown one has no handler', async () => {
    const { ipc } = setup();
    await expect(async () => ipc.invoke('dirconn:send', fromWindow(), {})).rejects.toThrow(/No handler/);
  });

  it('runs a call from the app window', async () => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke('dirconn:about', fromWindow(), {})).resolves.toMatchObject({ ok: true, value: { version: '1' } });
    expect(calls).toEqual([{ method: 'about', payload: {} }]);
  });

  it.each([
    ['another web contents', fromWindow('dirconn://app/', 8)],
    ['a page outside the app', fromWindow('https://evil.example.com/')],
    ['a sub-frame', { sender: { id: 7 }, senderFrame: { url: 'dirconn://app/', parent: {} } }],
    ['a destroyed frame', { sender: { id: 7 }, senderFrame: null }],
  ])('refuses a call from %s before it reaches the API', async (_what, event) => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke('dirconn:about', event, {})).resolves.toMatchObject({ ok: false, error: { code: 'desktop.forbidden' } });
    expect(calls).toEqual([]);
  });

  it('validates the payload (extra fields, extra arguments)', async () => {
    const { ipc } = setup();
    await expect(ipc.invoke('dirconn:about', fromWindow(), { evil: true })).resolves.toMatchObject({ ok: false, error: { code: 'usage' } });
    await expect(ipc.invoke('dirconn:about', fromWindow(), {}, 'second')).resolves.toMatchObject({ ok: false, error: { code: 'usage' } });
  });
});
