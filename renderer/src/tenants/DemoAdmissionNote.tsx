/**
 * The demo cluster (kube-sim) does not evaluate the serverless admission policies: it was
 * decided not to run CEL in kube-sim (issue 14, item 4), so the demo says so where it matters —
 * its Overview and its Tenants section.
 */
export function DemoAdmissionNote() {
  return (
    <p className="notice muted" role="note">
      Admission policies are not simulated in the demo: pods are sized by the demo itself.
    </p>
  );
}
