import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';

/** A GET asking to keep the connection open (supertest's default request asks to close it). */
const get = (app: Parameters<typeof request>[0], path: string) =>
  request(app).get(path).set('Connection', 'keep-alive');

describe('closing connections while the service drains', () => {
  it('answers with Connection: close once stopping, and keeps connections open before', async () => {
    let stopping = false;
    const app = createApp({ getIndex: () => null, stopping: () => stopping });
    const before = await get(app, '/health/live');
    expect(before.status).toBe(200);
    expect(before.headers['connection']).not.toBe('close');
    stopping = true;
    for (const path of ['/health/live', '/search?q=x', '/no-such-route']) {
      const during = await get(app, path);
      expect(during.headers['connection']).toBe('close');
    }
  });

  it('leaves the responses of another app alone', async () => {
    createApp({ getIndex: () => null, stopping: () => true });
    const other = createApp({ getIndex: () => null, stopping: () => false });
    const res = await get(other, '/health/live');
    expect(res.headers['connection']).not.toBe('close');
  });
});
