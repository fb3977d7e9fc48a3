/**
 * @nodeless/common — what several layers need, isomorphic (Node and the browser page alike: no
 * Node built-ins, no dependency, nothing of ours): the pod-size table and billable-size rounding,
 * Kubernetes quantities as integers, the step/progress contract and phases, preflight verdicts,
 * the CSP, the server-URL rule and the redactor. Everyone may import it (DESIGN.md §1).
 *
 * @see ../../../shared/DESIGN.md §1
 */
export * from './quantity.ts';
export * from './pod-sizes.ts';
export * from './effective-request.ts';
export * from './steps.ts';
export * from './verdict.ts';
export * from './csp.ts';
export * from './server-url.ts';
export * from './redact.ts';
export * from './cluster-source.ts';
export * from './deploy/index.ts';
export * from './exec-channel.ts';
export * from './namespaces.ts';
export * from './money.ts';
export * from './time.ts';
