/** The prices form: exact decimals, errors that name the field, the API input. */
import { describe, expect, it } from 'vitest';
import type { PriceSettings } from '@nodeless/backend/api';
import {
  formFromSettings,
  nanosText,
  pricesErrors,
  pricesInput,
  serverErrors,
  type PricesForm,
} from './prices-model.ts';

const settings: PriceSettings = {
  mode: 'entered',
  currency: 'USD',
  minimumSeconds: 60,
  nanosPerVcpuHour: 40_480_000,
  nanosPerGibHour: 4_445_000,
  defaults: true,
};

describe('prices form', () => {
  it('fills from the settings exactly', () => {
    expect(nanosText(40_480_000)).toBe('0.04048');
    expect(nanosText(3_000_000_000)).toBe('3');
    expect(nanosText(1)).toBe('0.000000001');
    expect(formFromSettings(settings)).toMatchObject({
      mode: 'entered',
      minimumSeconds: '60',
      perVcpuHour: '0.04048',
      perGibHour: '0.004445',
    });
  });

  it('names the field in every error, checking only the chosen mode', () => {
    const form: PricesForm = {
      ...formFromSettings(settings),
      currency: 'us',
      perVcpuHour: '-1',
      perGibHour: '0.1234567891',
      monthlyCostPerMachine: 'lots',
    };
    const errors = pricesErrors(form);
    expect(Object.keys(errors).sort()).toEqual(['currency', 'perGibHour', 'perVcpuHour']);
    expect(errors.currency).toMatch(/^Currency must/);
    expect(errors.perVcpuHour).toMatch(/^Price per vCPU-hour must/);
    const derived = pricesErrors({
      ...form,
      currency: 'EUR',
      mode: 'derived',
      targetUtilisationPercent: '0',
    });
    expect(Object.keys(derived).sort()).toEqual([
      'monthlyCostPerMachine',
      'targetUtilisationPercent',
    ]);
    expect(derived.targetUtilisationPercent).toMatch(/^Target utilisation must/);
    expect(
      pricesErrors({
        ...form,
        mode: 'derived',
        currency: 'EUR',
        monthlyCostPerMachine: '0.00',
        targetUtilisationPercent: '60',
      }),
    ).toEqual({
      monthlyCostPerMachine: expect.stringMatching(/^Monthly cost per machine must/),
    });
  });

  it('builds the input of the chosen mode', () => {
    const form = formFromSettings(settings);
    expect(pricesErrors(form)).toEqual({});
    expect(pricesInput('c1', form)).toEqual({
      clusterId: 'c1',
      mode: 'entered',
      currency: 'USD',
      minimumSeconds: 60,
      perVcpuHour: '0.04048',
      perGibHour: '0.004445',
    });
    expect(
      pricesInput('c1', {
        ...form,
        mode: 'derived',
        monthlyCostPerMachine: ' 120.00 ',
        targetUtilisationPercent: '70',
      }),
    ).toEqual({
      clusterId: 'c1',
      mode: 'derived',
      currency: 'USD',
      minimumSeconds: 60,
      monthlyCostPerMachine: '120.00',
      targetUtilisationPercent: 70,
    });
  });

  it('puts the backend’s field errors on the fields', () => {
    expect(
      serverErrors({ perGibHour: 'must be at most 1000', 'input.currency': 'unknown', other: 'x' }),
    ).toEqual({
      perGibHour: 'must be at most 1000',
      currency: 'unknown',
    });
  });
});
