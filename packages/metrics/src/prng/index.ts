export { Mulberry32, mulberry32 } from './mulberry32.js';
export { generateSample, type GeneratorSpec } from './generate.js';
