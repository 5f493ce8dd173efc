import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IdSchema, ReferenceUploadQuerySchema, VigilError } from '@vigil/contracts';
import { resourceLimitsOf } from '@vigil/db';
import { uploadReference } from '@vigil/services';
import { env } from '~/env';
import { getSessionFromHeaders } from '~/server/auth';
import { getDb } from '~/server/db';
import { errorResponse } from '~/server/http-errors';
import { requireModelMaintainer, workspaceAccess } from '~/server/trpc';

export const dynamic = 'force-dynamic';

const FORMATS: Record<string, 'csv' | 'jsonl'> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl', 'application/jsonl': 'jsonl' };

/**
 * Uploads a reference dataset for a model from the web app (its Settings tab): the body is the
 * file itself, CSV or JSON Lines (gzip allowed), `?name=` names it. Maintainers of the model's
 * team and workspace admins only. The dataset becomes the model's reference once the worker has
 * built its profile (within a minute).
 */
export async function POST(req: Request, { params }: { params: Promise<{ modelId: string }> }): Promise<Response> {
  try {
    // Cookies authenticate this request: refuse one started from another site.
    const origin = req.headers.get('origin');
    if (origin !== null && origin !== new URL(env().WEB_URL).origin && origin !== new URL(req.url).origin) {
      throw new VigilError('FORBIDDEN', 'uploads are accepted from this app only');
    }
    const modelId = IdSchema.parse((await params).modelId);
    const session = await getSessionFromHeaders(req.headers);
    if (!session) throw new VigilError('UNAUTHENTICATED', 'sign in to continue');
    const db = getDb();
    const access = await workspaceAccess({ db, session: session.session, user: session.user }, 'mutation');
    const { model } = await requireModelMaintainer({ ...access, user: session.user }, modelId);
    const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const format = FORMATS[type];
    if (!format) throw new VigilError('UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv or application/x-ndjson');
    if (!req.body) throw new VigilError('BAD_REQUEST', 'the upload is empty');
    const query = ReferenceUploadQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const name = query.name ?? `upload ${new Date().toISOString()}`;
    let body: Readable = Readable.fromWeb(req.body as Parameters<typeof Readable.fromWeb>[0]);
    if ((req.headers.get('content-encoding') ?? '').toLowerCase() === 'gzip') body = body.pipe(createGunzip());
    const { datasetId, rows } = await uploadReference(db, { organizationId: access.organization.id, projectId: model.projectId }, model.id, name, format, body, {
      limits: resourceLimitsOf(env()),
      upload: { maxBytes: env().REFERENCE_MAX_BYTES, timeoutMs: env().REFERENCE_UPLOAD_TIMEOUT_SECONDS * 1000 },
    });
    return Response.json({ id: datasetId, name, rows, status: 'pending' }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
