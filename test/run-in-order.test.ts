import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { runInOrder } from '../src/http/run-in-order.js';

/** A middleware that appends `name` to the `X-Trail` header and calls `next` (with `error` when given). */
const mark =
  (name: string, error?: Error): RequestHandler =>
  (_req, res, next) => {
    res.setHeader('X-Trail', `${res.getHeader('X-Trail') ?? ''}${name}`);
    next(error);
  };

function appWith(handlers: RequestHandler[]) {
  const app = express();
  app.use(runInOrder(handlers));
  app.get('/', (_req, res) => {
    res.setHeader('X-Trail', `${res.getHeader('X-Trail') ?? ''}route`);
    res.send('ok');
  });
  app.use(((error, _req, res, _next) => {
    res.status(500).setHeader('X-Trail', `${res.getHeader('X-Trail') ?? ''}error:${(error as Error).message}`);
    res.end();
  }) as express.ErrorRequestHandler);
  return app;
}

describe('runInOrder', () => {
  it('runs each middleware in turn, then the route', async () => {
    const res = await request(appWith([mark('a,'), mark('b,'), mark('c,')])).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['x-trail']).toBe('a,b,c,route');
  });

  it('passes an error to the error handler and skips the middleware after it', async () => {
    const res = await request(appWith([mark('a,'), mark('b,', new Error('stop')), mark('c,')])).get('/');
    expect(res.status).toBe(500);
    expect(res.headers['x-trail']).toBe('a,b,error:stop');
  });

  it('hands a thrown error to the error handler like a layer of its own', async () => {
    const thrower: RequestHandler = () => {
      throw new Error('thrown');
    };
    const res = await request(appWith([mark('a,'), thrower, mark('c,')])).get('/');
    expect(res.status).toBe(500);
    expect(res.headers['x-trail']).toBe('a,error:thrown');
  });

  it('hands the rejection of an async middleware to the error handler', async () => {
    const rejecting: RequestHandler = async () => {
      throw new Error('rejected');
    };
    const res = await request(appWith([mark('a,'), rejecting, mark('c,')])).get('/');
    expect(res.status).toBe(500);
    expect(res.headers['x-trail']).toBe('a,error:rejected');
  });
});
