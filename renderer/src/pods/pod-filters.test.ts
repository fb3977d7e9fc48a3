import { describe, expect, it } from 'vitest';
import { EMPTY_INPUTS, hasFilters } from './PodFilters.tsx';
import { clampWidth } from './PaneResizer.tsx';

describe('hasFilters', () => {
  it('is false for the empty inputs and a blank label selector', () => {
    expect(hasFilters(EMPTY_INPUTS)).toBe(false);
    expect(hasFilters({ ...EMPTY_INPUTS, selector: '   ' })).toBe(false);
  });

  it('is true as soon as any one filter narrows the table', () => {
    expect(hasFilters({ ...EMPTY_INPUTS, text: 'web' })).toBe(true);
    expect(hasFilters({ ...EMPTY_INPUTS, namespace: 'shop' })).toBe(true);
    expect(hasFilters({ ...EMPTY_INPUTS, status: 'failed' })).toBe(true);
    expect(hasFilters({ ...EMPTY_INPUTS, selector: 'app=web' })).toBe(true);
  });
});

describe('clampWidth', () => {
  it('keeps the details pane between its narrowest and widest, in whole pixels', () => {
    expect(clampWidth(100, 320, 760)).toBe(320);
    expect(clampWidth(2000, 320, 760)).toBe(760);
    expect(clampWidth(500.6, 320, 760)).toBe(501);
  });
});
