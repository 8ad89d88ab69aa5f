/**
 * DuckDB values -> plain JS, for query results: what reports and gates can use without knowing
 * DuckDB's value classes.
 *
 * - integers of any width -> number (counts and sums here stay far below 2^53)
 * - TIMESTAMP (any precision or zone) -> ISO 8601 string in UTC; DATE -> 'YYYY-MM-DD'
 * - JSON -> parsed value
 * - LIST/ARRAY/STRUCT/MAP -> arrays/objects, converted the same way all the way down
 * - everything else as the driver's own JS conversion gives it
 */
import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  dateFromDateValue,
  dateFromTimestampMillisecondsValue,
  dateFromTimestampNanosecondsValue,
  dateFromTimestampSecondsValue,
  dateFromTimestampTZValue,
  dateFromTimestampValue,
  listValue,
  type DuckDBValue,
  type JS,
  type DuckDBValueConverter,
} from '@duckdb/node-api';

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

export const plainConverter: DuckDBValueConverter<Plain> = (value, type, converter) => {
  if (value === null) return null;
  if (type.alias === 'JSON') return JSON.parse(value as string) as Plain;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return Number(value as bigint);
    case DuckDBTypeId.TIMESTAMP:
      return dateFromTimestampValue(value).toISOString();
    case DuckDBTypeId.TIMESTAMP_S:
      return dateFromTimestampSecondsValue(value).toISOString();
    case DuckDBTypeId.TIMESTAMP_MS:
      return dateFromTimestampMillisecondsValue(value).toISOString();
    case DuckDBTypeId.TIMESTAMP_NS:
      return dateFromTimestampNanosecondsValue(value).toISOString();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return dateFromTimestampTZValue(value).toISOString();
    case DuckDBTypeId.DATE:
      return dateFromDateValue(value).toISOString().slice(0, 10);
    default:
      // Nested types recurse through `converter`, i.e. back into this function.
      return JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>) as Plain;
  }
};

/** A query parameter: scalars, or a list of scalars (bound as a DuckDB LIST). */
export type QueryParam = string | number | boolean | null | readonly string[] | readonly number[];

export function toDuckDBParam(param: QueryParam): DuckDBValue {
  return Array.isArray(param) ? listValue(param as (string | number)[]) : (param as DuckDBValue);
}
