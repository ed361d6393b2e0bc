"""Entry point the Pulumi CLI runs for `pulumi preview --policy-pack policy`.

The CLI starts `python policy/` in the pack's virtualenv (PulumiPolicy.yaml), so this file's
directory is on sys.path and the controls import as `controls`. `PolicyPack` serves them over
gRPC until the CLI stops it. Enforcement is advisory unless the pack config says otherwise:
protected stacks pass `--policy-pack-config policy/config/<stack>.json` with `"all": "mandatory"`.
"""

from controls import DEFAULT_ENFORCEMENT, PACK_NAME, POLICIES  # type: ignore[import-not-found]  # the pack directory is on sys.path
from pulumi_policy import PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=POLICIES,
    enforcement_level=DEFAULT_ENFORCEMENT,
    description="AWS Foundational Security Best Practices controls and papyrus least-privilege checks for any "
    "Pulumi AWS stack",
    provider="aws",
)
