import { parquetWriteFile } from 'hyparquet-writer';
import type { Data } from './data.js';

export type ParquetType = 'DOUBLE' | 'INT32' | 'INT64' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP';

/**
 * Writes the data as Parquet, each column with the given type (DOUBLE for numbers and STRING
 * for text by default): BOOLEAN columns hold 'true'/'false' text, TIMESTAMP columns ISO text.
 */
export function writeParquet(path: string, data: Data, types: Record<string, ParquetType> = {}): void {
  const columnData = Object.entries(data).map(([name, column]) => {
    const type = types[name] ?? (column instanceof Float64Array ? 'DOUBLE' : 'STRING');
    const values = Array.from(column as ArrayLike<number | string | null>, (v) => {
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) return null;
      switch (type) {
        case 'INT32':
          return Number(v);
        case 'INT64':
          return BigInt(v);
        case 'BOOLEAN':
          return v === 'true';
        case 'TIMESTAMP':
          return new Date(String(v));
        default:
          return v;
      }
    });
    return { name, data: values, type };
  });
  parquetWriteFile({ filename: path, columnData });
}
