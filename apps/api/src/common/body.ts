import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestLimits, VigilError } from '@vigil/contracts';
import type { FastifyInstance } from 'fastify';

/** Content types whose body is handed to the handler as an unread stream (reference uploads). */
export const STREAMED_CONTENT_TYPES = ['text/csv', 'application/x-ndjson'] as const;

/**
 * Parsed JSON bodies whose text contained `\u0000`, a `\uD800–\uDFFF` escape or a `__proto__`
 * key. Postgres cannot store NUL characters or lone surrogates, and a `__proto__` key would be
 * lost when copied; only these bodies need the per-item scan.
 */
const suspectBodies = new WeakSet<object>();
const SUSPECT_TEXT = /\\u(?:0000|[dD][89a-fA-F]|005[fF])|"__proto__"/;

export function mayContainUnstorableText(body: unknown): boolean {
  return typeof body === 'object' && body !== null && suspectBodies.has(body);
}

/** The JSON text each parsed body was parsed from (a batch may be stored exactly as it arrived). */
const bodyTexts = new WeakMap<object, string>();

export function jsonTextOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? bodyTexts.get(body) : undefined;
}

/** Returns the request body stream, inflated when it is gzip; other encodings are refused. */
export function decodedStream(req: IncomingMessage): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    const gunzip = createGunzip();
    req.on('error', (err) => gunzip.destroy(err));
    return req.pipe(gunzip);
  }
  throw new VigilError('UNSUPPORTED_MEDIA_TYPE', `content encoding "${encoding}" is not supported; use gzip or none`);
}

/**
 * Reads a whole body, inflating gzip on the fly, and fails with 413 as soon as the inflated
 * size passes `limit` (a gzip bomb is never inflated past it), or with 408 when the body has
 * not arrived within `timeoutMs` (a client that trickles or stalls holds no memory and no
 * handler for long). What the client still sends is drained so it receives the answer instead
 * of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => fail(new VigilError('REQUEST_TIMEOUT', `the body was not received within HTTP_BODY_TIMEOUT_MS (${timeoutMs} ms)`, { timeoutMs })),
      timeoutMs,
    );
    const tooLarge = () => new VigilError('PAYLOAD_TOO_LARGE', `body is larger than ${limit} bytes (uncompressed)`, { limitBytes: limit });
    let source: Readable;
    try {
      source = decodedStream(req);
    } catch (err) {
      clearTimeout(timer);
      req.resume();
      reject(err);
      return;
    }
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (source !== req) {
        req.unpipe(source as unknown as NodeJS.WritableStream);
        source.destroy();
      }
      source.removeAllListeners('data');
      req.resume();
      reject(err);
    };
    const declared = Number(req.headers['content-length']);
    if (source === req && Number.isFinite(declared) && declared > limit) {
      fail(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge());
      else chunks.push(chunk);
    });
    source.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(Buffer.concat(chunks, size));
    });
    source.on('error', (err: Error & { code?: string }) => {
      fail(
        err.code?.startsWith('Z_')
          ? new VigilError('BAD_REQUEST', `body is not valid gzip: ${err.message}`)
          : new VigilError('BAD_REQUEST', `body could not be read: ${err.message}`),
      );
    });
  });
}

export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) throw new VigilError('BAD_REQUEST', 'body is empty; expected JSON');
  const text = buf.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VigilError('BAD_REQUEST', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value === 'object' && value !== null) {
    bodyTexts.set(value, text);
    // Two substring searches rule out almost every body before the regular expression runs.
    if ((text.includes('\\u') || text.includes('__proto__')) && SUSPECT_TEXT.test(text)) suspectBodies.add(value);
  }
  return value;
}

/**
 * Replaces Fastify's body parsers: JSON bodies are inflated (gzip) with the limit applied to the
 * inflated size, then parsed; CSV/JSONL bodies are left as streams for the upload handler.
 * Any other content type is answered 415 by Fastify.
 */
export function registerBodyParsers(fastify: FastifyInstance, opts: { limit?: number; timeoutMs?: number } = {}): void {
  const { limit = IngestLimits.maxBodyBytes, timeoutMs } = opts;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', (request, _payload, done) => {
    readBody(request.raw, limit, timeoutMs).then(
      (buf) => {
        try {
          done(null, parseJsonBody(buf));
        } catch (err) {
          done(err as Error, undefined);
        }
      },
      (err: Error) => done(err, undefined),
    );
  });
  fastify.addContentTypeParser([...STREAMED_CONTENT_TYPES], (_request, payload, done) => done(null, payload));
}

/** The media type of a request without parameters, lower-cased. */
export function mediaType(req: { headers: Record<string, string | string[] | undefined> }): string {
  const raw = req.headers['content-type'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requireMediaType(req: { headers: Record<string, string | string[] | undefined> }, allowed: readonly string[]): string {
  const type = mediaType(req);
  if (!allowed.includes(type)) {
    throw new VigilError('UNSUPPORTED_MEDIA_TYPE', `content type must be ${allowed.join(' or ')}${type ? `, not ${type}` : ''}`);
  }
  return type;
}
