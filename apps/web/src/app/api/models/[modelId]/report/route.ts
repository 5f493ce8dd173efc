import { createCaller } from '~/server/routers';
import { errorResponse } from '~/server/http-errors';
import { createContext } from '~/server/trpc';

export const dynamic = 'force-dynamic';

/**
 * A one-off report of a model's window as a download: `?from=&to=` (ISO-8601), optionally
 * `versionId`, and `against=window&baselineFrom=&baselineTo=` to compare with another window
 * instead of the reference. Same access as the model's pages (`model.report`).
 */
export async function GET(req: Request, { params }: { params: Promise<{ modelId: string }> }): Promise<Response> {
  try {
    const { modelId } = await params;
    const query = Object.fromEntries(new URL(req.url).searchParams);
    const caller = createCaller(await createContext({ headers: req.headers }));
    const { html, filename } = await caller.model.report({ ...query, modelId } as Parameters<typeof caller.model.report>[0]);
    return new Response(html, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
