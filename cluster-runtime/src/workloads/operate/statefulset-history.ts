/**
 * A StatefulSet's rollout history as `kubectl rollout history statefulset/x` reads it: the
 * ControllerRevisions the StatefulSet controls, each holding its pod template as the strategic
 * merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` (so the template is stored whole),
 * numbered by `.revision`. Undo (`kubectl rollout undo --to-revision`) sends that patch; our
 * client speaks JSON merge patch, so "replace" is the merge patch from the current template to
 * the stored one (see ./patches.ts), with the resourceVersion as precondition.
 *
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/history.go (StatefulSetHistoryViewer)
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollback.go (StatefulSetRollbacker)
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/controller-revision-v1/
 */
import type {
  V1ControllerRevision,
  V1PodTemplateSpec,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { kindIdentity, templateImages, timeOf } from '../../kinds/kind.ts';
import { CHANGE_CAUSE_ANNOTATION, type Revision } from './history.ts';
import { jsonEqual, mergePatchBetween, type UndoPlan } from './patches.ts';

export const CONTROLLER_REVISION = kindIdentity(
  'apps',
  'v1',
  'ControllerRevision',
  'controllerrevisions',
  true,
);

/** The ControllerRevisions whose controller is this StatefulSet (by uid). */
export function ownedRevisions(
  sts: V1StatefulSet,
  revisions: readonly V1ControllerRevision[],
): V1ControllerRevision[] {
  const uid = sts.metadata?.uid;
  return revisions.filter((r) =>
    r.metadata?.ownerReferences?.some(
      (o) => o.controller === true && o.kind === 'StatefulSet' && o.uid === uid,
    ),
  );
}

/** The pod template a revision stores (without the `$patch` directive). */
export function revisionTemplate(r: V1ControllerRevision): V1PodTemplateSpec {
  const data = r.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const { $patch: _directive, ...template } = data?.spec?.template ?? {};
  return template as V1PodTemplateSpec;
}

/** Oldest first; the newest is current, as kubectl lists them. */
export function statefulSetHistory(
  sts: V1StatefulSet,
  revisions: readonly V1ControllerRevision[],
): Revision[] {
  const list = ownedRevisions(sts, revisions)
    .map((r): Revision => {
      const template = revisionTemplate(r);
      const changeCause = r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
      const createdAt = timeOf(r.metadata?.creationTimestamp);
      return {
        revision: r.revision,
        replicaSet: r.metadata?.name ?? '',
        ...(changeCause ? { changeCause } : {}),
        images: templateImages(template.spec),
        ...(createdAt === undefined ? {} : { createdAt }),
        replicas: 0,
        current: false,
      };
    })
    .sort((a, b) => a.revision - b.revision);
  const last = list.at(-1);
  if (last) last.current = true;
  return list;
}

/** The revision's ControllerRevision, or undefined. */
export function controllerRevisionOf(
  sts: V1StatefulSet,
  revisions: readonly V1ControllerRevision[],
  revision: number,
): V1ControllerRevision | undefined {
  return ownedRevisions(sts, revisions).find((r) => r.revision === revision);
}

/** Undoing `sts` to `revision`: skip when the template already matches, else the merge patch. */
export function planStatefulSetUndo(sts: V1StatefulSet, revision: V1ControllerRevision): UndoPlan {
  const template = revisionTemplate(revision);
  if (jsonEqual(template, sts.spec?.template ?? {}))
    return { kind: 'skip', reason: 'the current template already matches this revision' };
  return {
    kind: 'patch',
    template,
    patch: {
      metadata: { resourceVersion: sts.metadata?.resourceVersion ?? null },
      spec: { template: mergePatchBetween(sts.spec?.template ?? {}, template) ?? {} },
    },
  };
}
