/**
 * Streaming moments: count, mean, M2 (sum of squared deviations), min and max.
 *
 * Updates use Welford's method; merges use Chan, Golub and LeVeque's pairwise formula
 *   n = nA + nB,  δ = meanB − meanA,  mean = meanA + δ·nB/n,  M2 = M2A + M2B + δ²·nA·nB/n,
 * both numerically stable (no catastrophic cancellation of Σx² − n·mean²). min, max and n
 * merge exactly; mean and M2 agree with a single pass over the union to rounding error.
 *
 * References: B. P. Welford (1962); T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating
 * Formulae and a Pairwise Algorithm for Computing Sample Variances" (1979).
 */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  update(x: number): void {
    const n = ++this.n;
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  merge(other: Moments): this {
    if (other.n === 0) return this;
    if (this.n === 0) {
      this.n = other.n;
      this.mean = other.mean;
      this.m2 = other.m2;
    } else {
      const n = this.n + other.n;
      const delta = other.mean - this.mean;
      this.mean += (delta * other.n) / n;
      this.m2 += other.m2 + ((delta * delta * this.n) / n) * other.n;
      this.n = n;
    }
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  clone(): Moments {
    return new Moments().merge(this);
  }

  /** Population variance M2 / n (NaN when empty). */
  get variance(): number {
    return this.n === 0 ? Number.NaN : this.m2 / this.n;
  }

  /** Sample variance M2 / (n − 1) (NaN when n < 2). */
  get sampleVariance(): number {
    return this.n < 2 ? Number.NaN : this.m2 / (this.n - 1);
  }
}
