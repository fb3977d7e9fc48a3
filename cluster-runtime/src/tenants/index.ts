/** Tenants: namespaces with a quota in specs, a namespace-only grant and token kubeconfigs. */
export * from './names.ts';
export * from './objects.ts';
export * from './tenants.ts';
export * from './token-kubeconfig.ts';
