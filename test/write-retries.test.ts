import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ADMIN_KEY, liveApp, type LiveApp } from './helpers/live-app.js';
import type { Journal } from '../src/live/journal.js';

/**
 * Retried writes answer as the first attempt would (issue #28): a client, or nginx on its behalf,
 * sends the same `Idempotency-Key` again after a lost answer, and the write is neither repeated
 * nor answered differently.
 */

let service: LiveApp | null = null;
afterEach(async () => {
  await service?.close();
  await service?.remove();
  service = null;
});

const auth = { Authorization: `Bearer ${ADMIN_KEY}` };
const article = { title: 'Ferry capsizes', body: 'A ferry capsized near the harbour of Mwanza.' };

describe('writes with an Idempotency-Key', () => {
  it('answers a retried create 201 again, and writes it once', async () => {
    service = await liveApp();
    const put = () =>
      request(service!.app).put('/articles/ferry-1').set(auth).set('Idempotency-Key', 'key-ferry-1').send(article);
    expect((await put()).status).toBe(201);
    const seq = service.journal.lastSeq;
    // Without the key, the same PUT is a replacement (200); with it, the first answer again.
    expect((await put()).status).toBe(201);
    expect(service.journal.lastSeq).toBe(seq);
    expect((await request(service.app).put('/articles/ferry-1').set(auth).send(article)).status).toBe(200);
  });

  it('answers a retried takedown 204, not 404, although the article is gone', async () => {
    service = await liveApp();
    await request(service.app).put('/articles/ferry-2').set(auth).send(article).expect(201);
    const del = () => request(service!.app).delete('/articles/ferry-2').set(auth).set('Idempotency-Key', 'key-del-2');
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(204);
    // Without a key nothing says it is a retry: the id is unknown now.
    expect((await request(service.app).delete('/articles/ferry-2').set(auth)).status).toBe(404);
  });

  it('remembers keys across a restart (they travel in the journal)', async () => {
    service = await liveApp();
    await request(service.app).put('/articles/ferry-3').set(auth).send(article).expect(201);
    await request(service.app).delete('/articles/ferry-3').set(auth).set('Idempotency-Key', 'key-del-3').expect(204);
    const dir = service.dir;
    await service.close();
    service = await liveApp({ dir });
    expect(
      (await request(service.app).delete('/articles/ferry-3').set(auth).set('Idempotency-Key', 'key-del-3')).status,
    ).toBe(204);
  });

  it('refuses a key reused for another request (422) and writes nothing', async () => {
    service = await liveApp();
    await request(service.app)
      .put('/articles/ferry-4')
      .set(auth)
      .set('Idempotency-Key', 'key-4')
      .send(article)
      .expect(201);
    const seq = service.journal.lastSeq;
    const res = await request(service.app)
      .put('/articles/ferry-4')
      .set(auth)
      .set('Idempotency-Key', 'key-4')
      .send({ ...article, title: 'Another' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(service.journal.lastSeq).toBe(seq);
    const other = await request(service.app).delete('/articles/ferry-4').set(auth).set('Idempotency-Key', 'key-4');
    expect(other.status).toBe(422);
    expect((await request(service.app).get('/articles/ferry-4')).status).toBe(200);
  });

  it('answers two concurrent requests with one key as one write', async () => {
    service = await liveApp();
    const put = () =>
      request(service!.app).put('/articles/ferry-5').set(auth).set('Idempotency-Key', 'key-5').send(article);
    const before = service.journal.lastSeq;
    const answers = await Promise.all([put(), put(), put()]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(service.journal.lastSeq).toBe(before + 1);
  });

  it('names a malformed key (400)', async () => {
    service = await liveApp();
    const res = await request(service.app)
      .put('/articles/ferry-6')
      .set(auth)
      .set('Idempotency-Key', 'has space')
      .send(article);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_idempotency_key');
  });
});

describe('article ids a URL can carry', () => {
  it.each(['.', '..', 'a/..', './a', 'a//b', '/a', 'a/'])('refuses %j with 400 naming the rule', async (id) => {
    service ??= await liveApp();
    const res = await request(service.app)
      .put(`/articles/${encodeURIComponent(id)}`)
      .set(auth)
      .send(article);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_article_id');
    expect(res.body.message).toMatch(/`\.` or `\.\.`/);
  });

  it('keeps ids with slashes and dots inside names', async () => {
    service = await liveApp();
    for (const id of ['bbc/tech/001', 'v1.2', '...', 'a/.b']) {
      expect(
        (
          await request(service.app)
            .put(`/articles/${encodeURIComponent(id)}`)
            .set(auth)
            .send(article)
        ).status,
      ).toBe(201);
    }
  });
});

describe('the journal and idempotency keys', () => {
  it('does not write a change whose key an earlier record carried', async () => {
    service = await liveApp();
    const journal: Journal = service.journal;
    const idem = { key: 'k', fingerprint: 'f', created: true };
    const [first] = await journal.append([
      {
        op: 'put',
        id: 'x',
        article: { id: 'x', title: 'X', date: null, file: 'api', paragraphs: ['x'] } as never,
        idem,
      },
    ]);
    const [again] = await journal.append([{ op: 'delete', id: 'x', idem: { key: 'k', fingerprint: 'other' } }]);
    expect(again!.seq).toBe(first!.seq);
    expect(again!.idem).toEqual(idem);
    expect(journal.opOf('x')).toBe('put');
  });
});
