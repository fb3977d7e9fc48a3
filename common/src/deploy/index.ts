/**
 * Deploy from a form (issue "Workloads", point 2): the form model, its one validator, the one
 * function form → objects (preview and apply alike), the path → field inverse for refusals, and
 * what an earlier deploy made that this one deletes.
 */
export * from './form.ts';
export * from './size-choice.ts';
export * from './validate.ts';
export * from './objects.ts';
export * from './field-paths.ts';
export * from './leftovers.ts';
