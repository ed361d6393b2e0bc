"""Provider functions a component calls while it checks its arguments, before it exists.

Such a lookup must go to the provider the caller gave the component (another region, another
account), since the component's own children would use that one too.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi


def invoke_options(opts: pulumi.ResourceOptions | None, package: str = "aws") -> pulumi.InvokeOptions:
    """Invoke options for a lookup made on behalf of a component about to be created with `opts`."""
    opts = opts or pulumi.ResourceOptions()
    return pulumi.InvokeOptions(parent=opts.parent, provider=caller_provider(opts, package))


def caller_provider(opts: pulumi.ResourceOptions, package: str = "aws") -> pulumi.ProviderResource | None:
    """The `package` provider in `opts` (its `provider` or one of its `providers`), or None."""
    if opts.provider is not None and opts.provider.package == package:
        return opts.provider
    providers = opts.providers
    if isinstance(providers, Mapping):
        return providers.get(package)
    return next((p for p in providers or [] if p.package == package), None)
