import { prepareTestDatabase } from '@vigil/db/testing';

export default async function setup() {
  await prepareTestDatabase();
}
