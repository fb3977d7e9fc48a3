import { describe, expect, it } from 'vitest';
import {
  GIB,
  QuantityError,
  quantityEquals,
  quantityMilliValue,
  quantityValue,
  type QuantityProblem,
} from './quantity.ts';

/** `range`: beyond 2^53 − 1 in that unit (apimachinery would overflow int64 or saturate). */
type Expected = number | 'range';

/**
 * apimachinery's TestQuantityParse table (pkg/api/resource/quantity_test.go), each input with
 * what `Value()` and `MilliValue()` return for it: the exact value rounded up, away from zero.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity_test.go
 */
const PARSE: readonly (readonly [input: string, value: Expected, milli: Expected])[] = [
  ['0', 0, 0],
  ['0n', 0, 0],
  ['0u', 0, 0],
  ['0m', 0, 0],
  ['0Ki', 0, 0],
  ['0k', 0, 0],
  ['0Mi', 0, 0],
  ['0M', 0, 0],
  ['0Gi', 0, 0],
  ['0G', 0, 0],
  ['0Ti', 0, 0],
  ['0T', 0, 0],
  // Quantity-less numbers
  ['1', 1, 1000],
  // Binary suffixes
  ['1Ki', 1024, 1_024_000],
  ['8Ki', 8192, 8_192_000],
  ['7Mi', 7 * 2 ** 20, 7 * 2 ** 20 * 1000],
  ['6Gi', 6 * 2 ** 30, 6 * 2 ** 30 * 1000],
  ['5Ti', 5 * 2 ** 40, 5 * 2 ** 40 * 1000],
  ['4Pi', 4 * 2 ** 50, 'range'],
  ['3Ei', 'range', 'range'],
  ['10Ti', 10 * 2 ** 40, 'range'],
  ['100Ti', 100 * 2 ** 40, 'range'],
  // Decimal suffixes
  ['5n', 1, 1],
  ['4u', 1, 1],
  ['3m', 1, 3],
  ['9', 9, 9000],
  ['8k', 8000, 8_000_000],
  ['50k', 50_000, 50_000_000],
  ['7M', 7e6, 7e9],
  ['6G', 6e9, 6e12],
  ['5T', 5e12, 5e15],
  ['40T', 4e13, 'range'],
  ['300T', 3e14, 'range'],
  ['2P', 2e15, 'range'],
  ['1E', 'range', 'range'],
  // Decimal exponents
  ['1E-3', 1, 1],
  ['1e3', 1000, 1e6],
  ['1E6', 1e6, 1e9],
  ['1e9', 1e9, 1e12],
  ['1E12', 1e12, 1e15],
  ['1e15', 1e15, 'range'],
  ['1E18', 'range', 'range'],
  // Nonstandard but still parsable
  ['1e14', 1e14, 'range'],
  ['1e13', 1e13, 'range'],
  ['100.035k', 100_035, 100_035_000],
  // Things that look like floating point
  ['0.001', 1, 1],
  ['0.0005k', 1, 500],
  ['0.005', 1, 5],
  ['0.05', 1, 50],
  ['0.5', 1, 500],
  ['0.00050k', 1, 500],
  ['0.00500', 1, 5],
  ['0.05000', 1, 50],
  ['0.50000', 1, 500],
  ['0.5e0', 1, 500],
  ['0.5e-1', 1, 50],
  ['0.5e-2', 1, 5],
  ['10.035M', 10_035_000, 10_035_000_000],
  ['1.2e3', 1200, 1_200_000],
  ['1.3E+6', 1_300_000, 1_300_000_000],
  ['1.40e9', 1.4e9, 1.4e12],
  ['1.53E12', 1.53e12, 1.53e15],
  ['1.6e15', 1.6e15, 'range'],
  ['1.7E18', 'range', 'range'],
  ['9.01', 10, 9010],
  ['8.1k', 8100, 8_100_000],
  ['7.123456M', 7_123_456, 7_123_456_000],
  ['6.987654321G', 6_987_654_321, 6_987_654_321_000],
  ['5.444T', 5.444e12, 5.444e15],
  ['40.1T', 4.01e13, 'range'],
  ['300.2T', 3.002e14, 'range'],
  ['2.5P', 2.5e15, 'range'],
  ['1.01E', 'range', 'range'],
  // Things that saturate/round: a non-zero amount never rounds to 0
  ['3.001n', 1, 1],
  ['1.1E-9', 1, 1],
  ['0.0000000001', 1, 1],
  ['0.0000000005', 1, 1],
  ['0.00000000050', 1, 1],
  ['0.5e-9', 1, 1],
  ['0.9n', 1, 1],
  ['0.00000012345', 1, 1],
  ['0.00000012354', 1, 1],
  ['9Ei', 'range', 'range'],
  ['9223372036854775807Ki', 'range', 'range'],
  ['12E', 'range', 'range'],
  // Fractional binary amounts
  ['100.035Ki', 102_436, 102_435_840],
  ['0.5Mi', 524_288, 524_288_000],
  ['0.05Gi', 53_687_092, 53_687_091_200],
  ['0.025Ti', 27_487_790_695, 27_487_790_694_400],
  // Things written by trolls
  ['0.000000000001Ki', 1, 1],
  ['.001', 1, 1],
  ['.0001k', 1, 100],
  ['1.', 1, 1000],
  ['1.G', 1e9, 1e12],
  // parseQuantityString's own cases
  ['.', 0, 0],
  ['-.', 0, 0],
  // The notations Nodeless meets in pod specs
  ['250m', 1, 250],
  ['1.5', 2, 1500],
  ['2Gi', 2 * GIB, 2 * GIB * 1000],
  ['500M', 5e8, 5e11],
  ['130Mi', 130 * 2 ** 20, 130 * 2 ** 20 * 1000],
];

/** apimachinery's invalid inputs, with the error it returns (ErrFormatWrong / ErrSuffix). */
const INVALID: readonly (readonly [input: string, problem: QuantityProblem])[] = [
  ['1.1.M', 'format'],
  ['1+1.0M', 'format'],
  ['0.1mi', 'suffix'],
  ['0.1am', 'format'],
  ['aoeu', 'format'],
  ['.5i', 'suffix'],
  ['1i', 'suffix'],
  ['-3.01i', 'suffix'],
  ['-3.01e-', 'suffix'],
  // trailing (and leading) whitespace is forbidden
  [' 1', 'format'],
  ['1 ', 'format'],
  ['', 'format'],
  ['12 cores', 'format'],
  ['1K', 'suffix'],
  ['1e', 'suffix'],
  ['1Mi5', 'suffix'],
];

const outcome = (f: () => number): Expected => {
  try {
    return f();
  } catch (error) {
    if (error instanceof QuantityError && error.problem === 'range') return 'range';
    throw error;
  }
};

describe('quantities as integers (apimachinery semantics)', () => {
  it.each(PARSE)('%s → Value() %s, MilliValue() %s', (input, value, milli) => {
    expect(outcome(() => quantityValue(input))).toBe(value);
    expect(outcome(() => quantityMilliValue(input))).toBe(milli);
    for (const r of [value, milli]) if (r !== 'range') expect(Number.isInteger(r)).toBe(true);
  });

  it.each(PARSE.filter(([, v, m]) => v !== 0 && v !== 'range' && m !== 'range'))(
    'the negative and explicitly positive %s round away from zero',
    (input, value, milli) => {
      expect(quantityValue(`-${input}`)).toBe(-value);
      expect(quantityMilliValue(`-${input}`)).toBe(-milli);
      expect(quantityValue(`+${input}`)).toBe(value);
    },
  );

  it.each(INVALID)('refuses %j (%s), naming the text', (input, problem) => {
    const error = (() => {
      try {
        quantityMilliValue(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(QuantityError);
    expect((error as QuantityError).problem).toBe(problem);
    expect((error as QuantityError).message).toContain(`"${input}"`);
  });

  it('reads numbers as their JSON text and refuses non-finite ones', () => {
    expect(quantityMilliValue(0.5)).toBe(500);
    expect(quantityValue(2)).toBe(2);
    expect(quantityMilliValue(1e-7)).toBe(1);
    expect(() => quantityValue(Number.NaN)).toThrow(QuantityError);
    expect(() => quantityValue(Number.POSITIVE_INFINITY)).toThrow(QuantityError);
  });

  it('never builds a huge number for an absurd exponent', () => {
    expect(() => quantityValue('1e2000000000')).toThrow(/too large/);
    expect(quantityMilliValue('1e-2000000000')).toBe(1);
    // strconv.ParseInt refuses what int64 cannot hold; int32(…) wraps the rest, as upstream.
    expect(() => quantityValue('1e9223372036854775808')).toThrow(/suffix/);
    expect(quantityValue('1e4294967296')).toBe(1);
  });

  it('compares amounts at nano precision', () => {
    expect(quantityEquals('0.25', '250m')).toBe(true);
    expect(quantityEquals('1Gi', '1024Mi')).toBe(true);
    expect(quantityEquals('1n', '2n')).toBe(false);
    expect(quantityEquals('0.1n', '1n')).toBe(true);
    expect(quantityEquals('1', 'one')).toBe(false);
  });
});
