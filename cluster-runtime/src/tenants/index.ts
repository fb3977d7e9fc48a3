/** Tenants: namespaces with a quota in specs, a namespace-only grant and members' kubeconfigs. */
export * from './access.ts';
export * from './certificate.ts';
export * from './members.ts';
export * from './names.ts';
export * from './objects.ts';
export * from './revoke.ts';
export * from './tenant-kubeconfig.ts';
export * from './tenants.ts';
export * from './token-kubeconfig.ts';
