import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, pure, next to the code as `*.test.ts`) and `integration`
 * (`*.int.test.ts`: real SQLite files, real processes, real sshd on test hosts, real kubectl).
 */
const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/**'];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.{ts,tsx}', '*/test/**/*.test.{ts,tsx}'],
          exclude: [...exclude, '**/*.int.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['*/src/**/*.int.test.ts', '*/test/**/*.int.test.ts'],
          exclude,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Integration tests share real machines (test hosts, ports); run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
