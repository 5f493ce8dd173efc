export { profileColumnDrift, type ProfileDriftResult } from './profile-drift.js';
export { profileColumnQuality, type ProfileQuality } from './profile-quality.js';
export { PER_VALUE_BIN_LIMIT, referenceBinEdges } from './reference-edges.js';
