"""The pure parts of PublicPrivateVpc's NAT instances: image, instance types, boot script, recovery.

Nothing here registers a resource or asks AWS anything, so every value is tested exactly
(tests/test_nat_instance.py); `components.vpc` builds the resources from them.

* The image is Amazon Linux 2023 for arm64, the standard edition: the minimal edition has
  no SSM Agent (the only way in: the instances have no SSH key and no port 22) and neither
  iptables nor nftables. Its current id is read from AWS's public SSM parameter.
* The boot script turns forwarding on and masquerades the private subnets' traffic behind
  the instance's address, both persisted across reboots (sysctl.d and a systemd unit that
  loads an nftables ruleset). nftables is installed if the image lacks it; a 512 MiB nano
  gets a temporary swap file first, so dnf is not killed for lack of memory.
"""

import ipaddress
from collections.abc import Sequence

# Standard edition, default kernel, arm64 (Graviton): AWS updates it with every AL2023 release.
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

DEFAULT_INSTANCE_TYPE = "t4g.nano"
# Graviton families that run the arm64 image, have EBS-only storage and support both
# simplified automatic recovery and the CloudWatch recover action. No "d" variants (their
# instance store rules out recovery), no metal.
_BURSTABLE_FAMILY = "t4g"
_BURSTABLE_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge")
_FIXED_FAMILIES = ("c6g", "c6gn", "c7g", "c7gn", "m6g", "m7g")
_FIXED_SIZES = ("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
INSTANCE_TYPES: tuple[str, ...] = tuple(f"{_BURSTABLE_FAMILY}.{s}" for s in _BURSTABLE_SIZES) + tuple(
    f"{family}.{size}" for family in _FIXED_FAMILIES for size in _FIXED_SIZES
)
INSTANCE_TYPES_TEXT = (
    f"an arm64 (Graviton) type the Amazon Linux arm64 image runs on: {_BURSTABLE_FAMILY}."
    f"{{{','.join(_BURSTABLE_SIZES)}}} or {{{','.join(_FIXED_FAMILIES)}}}.{{{','.join(_FIXED_SIZES)}}}"
)

# The AL2023 image's root snapshot is 8 GiB; the volume may not be smaller.
ROOT_VOLUME_GIB = 8
ROOT_VOLUME_TYPE = "gp3"

# Status checks are published every minute at no charge (no detailed monitoring needed).
STATUS_CHECK_PERIOD_SECONDS = 60
# The host failed (power, network, hardware): move the instance to healthy hardware, keeping
# its id, network interface, private and Elastic IP. Two failed minutes in a row.
SYSTEM_CHECK_FAILED_MINUTES = 2
# The instance's own OS is unreachable (kernel panic, exhausted memory): reboot it. Three
# minutes, so a reboot already under way is not interrupted.
INSTANCE_CHECK_FAILED_MINUTES = 3


def is_supported_instance_type(value: object) -> bool:
    """True for the instance types a NAT instance may use (see INSTANCE_TYPES)."""
    return isinstance(value, str) and value in INSTANCE_TYPES


def is_burstable(instance_type: str) -> bool:
    """T-family types take a CPU credit specification; others refuse one."""
    return instance_type.startswith(f"{_BURSTABLE_FAMILY}.")


def alarm_action_arn(partition: str, region: str, action: str) -> str:
    """The CloudWatch alarm action that asks EC2 to `recover` or `reboot` the alarm's instance."""
    if action not in ("recover", "reboot"):
        raise ValueError(f"unknown EC2 alarm action {action!r}")
    return f"arn:{partition}:automate:{region}:ec2:{action}"


def user_data(private_cidrs: Sequence[str]) -> str:
    """The boot script (cloud-init runs it once, on the instance's first boot).

    Only traffic from `private_cidrs` is translated, and only as it leaves through the
    primary interface (found from the default route: ens5 on Nitro, but never assumed).
    The script stops at the first failure (set -e), which cloud-init records in
    /var/log/cloud-init-output.log and the console output.
    """
    try:
        cidrs = [str(ipaddress.IPv4Network(c)) for c in private_cidrs]
    except (TypeError, ValueError):
        cidrs = []
    if not cidrs:
        raise ValueError(f"expected IPv4 networks for the private subnets, got {list(private_cidrs)!r}")
    sources = ", ".join(cidrs)
    return f"""#!/bin/bash
# NAT instance of a papyrus PublicPrivateVpc: forward and masquerade the private subnets' traffic.
set -euo pipefail

# 1. Forwarding, now and at every boot (systemd-sysctl reads sysctl.d).
cat > /etc/sysctl.d/90-papyrus-nat.conf <<'EOF'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.send_redirects = 0
EOF
sysctl --load /etc/sysctl.d/90-papyrus-nat.conf

# 2. nftables, unless the image has it. dnf needs more than a nano's 512 MiB: swap while it runs.
if ! command -v nft >/dev/null 2>&1; then
  dd if=/dev/zero of=/var/papyrus-nat.swap bs=1M count=1024 status=none
  chmod 600 /var/papyrus-nat.swap
  mkswap /var/papyrus-nat.swap >/dev/null
  swapon /var/papyrus-nat.swap
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    dnf install -y nftables && break
    echo "dnf install nftables failed (attempt $attempt), retrying" >&2
    sleep 15
  done
  swapoff /var/papyrus-nat.swap
  rm -f /var/papyrus-nat.swap
  command -v nft >/dev/null
fi

# 3. Masquerading on the primary interface, from the private subnets only.
nic="$(ip -4 route show default | awk '{{print $5; exit}}')"
test -n "$nic"
mkdir -p /etc/nftables
cat > /etc/nftables/papyrus-nat.nft <<EOF
table ip papyrus_nat
delete table ip papyrus_nat
table ip papyrus_nat {{
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr {{ {sources} }} oifname "$nic" masquerade
  }}
}}
EOF

# 4. Load the ruleset now and at every boot.
nft_bin="$(command -v nft)"
cat > /etc/systemd/system/papyrus-nat.service <<EOF
[Unit]
Description=papyrus NAT: masquerade the private subnets
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$nft_bin -f /etc/nftables/papyrus-nat.nft
ExecStop=$nft_bin delete table ip papyrus_nat

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now papyrus-nat.service
nft list table ip papyrus_nat
"""
