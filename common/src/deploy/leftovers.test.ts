import { describe, expect, it } from 'vitest';
import { emptyDeployForm, type DeployForm } from './form.ts';
import { deployLeftoverCandidates, isDeployLeftover, leftoverSentence } from './leftovers.ts';

const form: DeployForm = {
  ...emptyDeployForm('shop'),
  name: 'web',
  image: 'nginx:1.27',
  ports: [{ name: 'http', containerPort: '8080', protocol: 'TCP' }],
  expose: 'ClusterIP',
};

/** The Service an earlier deploy of `web` applied, as the API server returns it. */
const service = (over: { manager?: string; selector?: unknown; name?: string } = {}) => ({
  metadata: {
    name: over.name ?? 'web',
    uid: 'u-1',
    managedFields: [
      { manager: over.manager ?? 'nodeless', operation: 'Apply' },
      { manager: 'kube-controller-manager', operation: 'Update' },
    ],
  },
  spec: {
    type: 'ClusterIP',
    selector: over.selector ?? { 'app.kubernetes.io/name': 'web' },
  },
});

describe('what a deploy leaves behind', () => {
  it('looks for the Service only once Expose is No; never for the Deployment or a Namespace', () => {
    expect(deployLeftoverCandidates(form)).toEqual([]);
    expect(deployLeftoverCandidates({ ...form, expose: 'none' })).toEqual([
      { kind: 'Service', name: 'web', namespace: 'shop' },
    ]);
    expect(deployLeftoverCandidates({ ...form, expose: 'none', createNamespace: true })).toEqual([
      { kind: 'Service', name: 'web', namespace: 'shop' },
    ]);
  });

  it("takes a Service applied by nodeless that selects exactly the app's pods", () => {
    expect(isDeployLeftover('Service', service(), 'web', 'nodeless')).toBe(true);
  });

  it('leaves what another tool manages, what selects other pods, and other names', () => {
    expect(isDeployLeftover('Service', service({ manager: 'kubectl' }), 'web', 'nodeless')).toBe(
      false,
    );
    expect(
      isDeployLeftover('Service', service({ manager: 'nodeless-tenants' }), 'web', 'nodeless'),
    ).toBe(false);
    const extra = { 'app.kubernetes.io/name': 'web', tier: 'front' };
    expect(isDeployLeftover('Service', service({ selector: extra }), 'web', 'nodeless')).toBe(
      false,
    );
    const other = { 'app.kubernetes.io/name': 'api' };
    expect(isDeployLeftover('Service', service({ selector: other }), 'web', 'nodeless')).toBe(
      false,
    );
    expect(isDeployLeftover('Service', service({ name: 'api' }), 'web', 'nodeless')).toBe(false);
    expect(isDeployLeftover('Service', { metadata: { name: 'web' } }, 'web', 'nodeless')).toBe(
      false,
    );
  });

  it("reads a Deployment's selector from matchLabels", () => {
    const deployment = {
      metadata: { name: 'web', managedFields: [{ manager: 'nodeless' }] },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
    };
    expect(isDeployLeftover('Deployment', deployment, 'web', 'nodeless')).toBe(true);
    expect(isDeployLeftover('Service', deployment, 'web', 'nodeless')).toBe(false);
  });

  it('says what goes, before and after', () => {
    expect(leftoverSentence({ kind: 'Service', name: 'web' })).toBe('Service web will be deleted');
    expect(leftoverSentence({ kind: 'Service', name: 'web' }, true)).toBe(
      'Service web was deleted',
    );
  });
});
