export { Vigil, type LabelInput, type PredictionInput, type VigilOptions, type VigilStats } from './client.js';
export { uuidv7 } from './ids.js';
export type { IngestResponse, Label, Prediction } from '@vigil/contracts';
