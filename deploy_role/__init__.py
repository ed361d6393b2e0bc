"""The IAM policies for the roles that run this program: a least-privilege *deploy* policy for
`pulumi up` and a read-only *preview* policy for `pulumi preview` on pull requests.

    permissions.py   each Pulumi resource type and provider function -> the IAM actions its
                     create, read, update and delete need, and the scope they need them on
    scopes.py        each scope -> the ARNs (from the stack's physical names) and conditions
    policy.py        the policy documents: statements per scope, split to fit IAM's size limit
    __main__.py      `python -m deploy_role --write` regenerates deploy_role/policies/<stack>/;
                     `trust` prints the GitHub OIDC trust policy; `commands` the AWS CLI steps

The JSON under deploy_role/policies/ is what a user pastes or applies; tests keep it equal to
what these modules generate, check every action, ARN and condition key against AWS's service
authorization reference, and check that every resource type of every committed stack's plan
is mapped.
"""
