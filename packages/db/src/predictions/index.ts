export { batchesOf, windowsOf, type Batch, type InsertedWindow, type ReceivedBody } from './batches.js';
export { BatchEncoding, decodeBatch, encodeBatch, type PredictionInput, type StoredPrediction } from './encoding.js';
export { insertNewPredictions, insertPredictions, type InsertPredictionsOptions, type InsertPredictionsResult } from './insert.js';
export { predictionsInWindow, predictionsWrittenBetween } from './read.js';
export { MAX_SCALAR_BATCHES, writeBatchesOnly, writeBatchesWithKeys } from './statements.js';
export { PredictionWriter, type PredictionWriterOptions } from './writer.js';
