import { getAuth } from '~/server/auth';

export const dynamic = 'force-dynamic';

const handle = (req: Request) => getAuth().handler(req);
export { handle as GET, handle as POST };
