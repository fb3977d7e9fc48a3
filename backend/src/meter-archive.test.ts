import { describe, expect, it } from 'vitest';
import { meterImageArchivePath } from './meter-archive.ts';

const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);

describe('meterImageArchivePath', () => {
  it('finds the archive a dev checkout built', () => {
    expect(
      meterImageArchivePath({
        repoRoot: '/src/nodeless',
        version: '0.1.0',
        exists: only('/src/nodeless/meter/dist/nodeless-meter-0.1.0.tar'),
      }),
    ).toBe('/src/nodeless/meter/dist/nodeless-meter-0.1.0.tar');
  });

  it('prefers the packaged app’s resources', () => {
    expect(
      meterImageArchivePath({
        resourcesPath: '/opt/Nodeless/resources',
        repoRoot: '/src/nodeless',
        version: '0.2.0',
        exists: only(
          '/opt/Nodeless/resources/meter/nodeless-meter-0.2.0.tar',
          '/src/nodeless/meter/dist/nodeless-meter-0.2.0.tar',
        ),
      }),
    ).toBe('/opt/Nodeless/resources/meter/nodeless-meter-0.2.0.tar');
  });

  it('is undefined when the archive was not built or shipped (no path to a missing file)', () => {
    expect(
      meterImageArchivePath({
        resourcesPath: '/opt/Nodeless/resources',
        repoRoot: '/src/nodeless',
        version: '0.1.0',
        // Another version's archive does not count.
        exists: only('/src/nodeless/meter/dist/nodeless-meter-0.0.9.tar'),
      }),
    ).toBeUndefined();
  });
});
