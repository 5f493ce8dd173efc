export { chi2Sf, normalSf, studentTwoSidedP } from './distributions.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
export { quantileLinear } from './quantile.js';
export { assertSorted, sortSample, type SortedSample } from './sample.js';
