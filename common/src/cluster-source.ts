/**
 * Shown wherever the demo cluster appears (cluster list, header, title), so simulated data is
 * never mistaken for a real cluster's.
 */
export const DEMO_LABEL = 'Demo · simulated';
