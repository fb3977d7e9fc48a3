/**
 * Query parameters as kube-apiserver converts them into its option structs (ListOptions,
 * PatchOptions, PodLogOptions, DeleteOptions…): a boolean parameter is false only when absent,
 * `0` or `false` in any case — `?watch=True`, `?watch=1`, `?watch=yes` and `?watch=` all
 * watch. Only the first value of a repeated parameter counts.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/runtime/conversion.go (Convert_Slice_string_To_bool, Convert_Slice_string_To_Pointer_bool)
 */

/** Upstream's `bool` conversion: absent, `0` or (case-insensitive) `false` → false. */
export function boolParam(params: URLSearchParams, name: string): boolean {
  return optionalBoolParam(params, name) === true;
}

/**
 * Upstream's `*bool` conversion: undefined when absent (the option is "not set"), else the
 * value as {@link boolParam} reads it.
 */
export function optionalBoolParam(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  return !(value === '0' || value.toLowerCase() === 'false');
}
