import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { UI_CSP } from '../src/http/security-headers.js';
import { buildIndex } from '../src/index/index-writer.js';
import { seedArticle } from './fixtures/http/build-test-index.js';

const publicDir = fileURLToPath(new URL('./fixtures/http/public/', import.meta.url));
const index = buildIndex([seedArticle()]);
const app = createApp({ getIndex: () => index, publicDir });

describe('the static UI', () => {
  it('serves index.html at / with the UI content security policy', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<title>Archive search (test fixture)</title>');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(res.headers['content-security-policy']).toBe(UI_CSP);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves its scripts with the UI policy and the API with the API policy', async () => {
    const script = await request(app).get('/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-security-policy']).toBe(UI_CSP);
    const api = await request(app).get('/search?q=haiti');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('answers missing files, dotfiles and path traversal with 404 JSON', async () => {
    for (const path of ['/missing.js', '/.hidden', '/../package.json', '/%2e%2e/package.json']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('route_not_found');
    }
  });

  it('is skipped when publicDir does not exist', async () => {
    const none = createApp({ getIndex: () => index, publicDir: '/nonexistent/public' });
    const res = await request(none).get('/');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });
});
