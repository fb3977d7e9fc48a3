/** Multi-document YAML with dry-run diff (placeholder until the YAML editor lands). */

export interface YamlObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface YamlDialogProps {
  clusterId: string;
  /** Edit this existing object; absent: a new manifest. */
  edit?: YamlObjectRef;
  onClose: () => void;
}

export function YamlDialog(_props: YamlDialogProps) {
  return null;
}
