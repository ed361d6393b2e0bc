"""The task sizes AWS Fargate offers for Linux tasks: CPU units to allowed memory (MiB)."""

from __future__ import annotations

from typing import Any

from components.validation import InvalidArgumentError


def _steps(start: int, stop: int, step: int) -> tuple[int, ...]:
    return tuple(range(start, stop + 1, step))


# From the Fargate task size table (Linux, platform 1.4.0): 8192 and 16384 CPU units need 1.4.0,
# which FargateService pins.
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _steps(1024, 4096, 1024),
    1024: _steps(2048, 8192, 1024),
    2048: _steps(4096, 16384, 1024),
    4096: _steps(8192, 30720, 1024),
    8192: _steps(16384, 61440, 4096),
    16384: _steps(32768, 122880, 8192),
}


def _is_int(value: Any) -> bool:
    # A float such as 512.0 equals a table key but would reach ECS as "512.0", which it rejects.
    return isinstance(value, int) and not isinstance(value, bool)


def check_task_size(where: str, cpu_key: str, cpu: Any, memory_key: str, memory: Any) -> tuple[int, int]:
    """Reject a cpu/memory pair Fargate does not run, naming both keys."""
    if not _is_int(cpu) or cpu not in FARGATE_TASK_SIZES:
        raise InvalidArgumentError(where, cpu_key, cpu, "Fargate CPU units: " + ", ".join(map(str, FARGATE_TASK_SIZES)))
    allowed = FARGATE_TASK_SIZES[cpu]
    if not _is_int(memory) or memory not in allowed:
        if len(allowed) > 4:
            listed = f"{allowed[0]} to {allowed[-1]} in steps of {allowed[1] - allowed[0]}"
        else:
            listed = ", ".join(map(str, allowed))
        raise InvalidArgumentError(where, memory_key, memory, f"with {cpu_key}={cpu}, MiB of memory from {listed}")
    return cpu, memory
