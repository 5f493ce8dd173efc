export { Vigil, type LabelInput, type PredictionInput, type VigilOptions, type VigilStats } from './client.js';
export type { IngestResponse, Label, Prediction } from '@vigil/contracts';
