/**
 * The ComfyUI socket hub against a real WebSocket server on loopback: while the server refuses
 * the socket its back-off grows (250 ms doubling), but a job that subscribes once the server is
 * back connects at once instead of waiting out the back-off — its progress would otherwise be
 * lost for up to 10 s (CI once saw a whole short take finish before the socket came back).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ComfySocketHub } from '../../../main/backends/comfyui/socket-hub.js';

let server: http.Server | null = null;
let hub: ComfySocketHub | null = null;

afterEach(async () => {
  hub?.shutdown();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('comfyui socket hub', () => {
  it('a new subscriber reconnects at once instead of waiting out a grown back-off', async () => {
    let refuse = true;
    const connected: number[] = [];
    const wss = new WebSocketServer({ noServer: true });
    server = http.createServer();
    server.on('upgrade', (req, socket, head) => {
      if (refuse) return void socket.destroy();
      wss.handleUpgrade(req, socket, head, () => connected.push(Date.now()));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    hub = new ComfySocketHub(`ws://127.0.0.1:${port}/ws`, 'test-client', {});

    const leave = hub.subscribe(() => {});
    // Five refused attempts: 250 + 500 + 1000 + 2000 ms of back-off; the next waits 3–5 s.
    while (hub.opened < 5) await new Promise((r) => setTimeout(r, 20));
    refuse = false;
    const asked = Date.now();
    const leave2 = hub.subscribe(() => {});
    while (connected.length === 0 && Date.now() - asked < 8000) await new Promise((r) => setTimeout(r, 20));
    expect(connected.length).toBe(1);
    expect(connected[0]! - asked).toBeLessThan(2000);
    leave();
    leave2();
    wss.close();
  }, 30_000);
});
