export { startTestApi as startApi, type RunningApi } from '@vigil/api/testing';
