"""Where the app's image comes from, from the stack configuration to the registry's arguments.

The registry component (`ContainerRegistry`) builds the image or looks up the one the app's CI
pushed; its errors name its own arguments. The program's users wrote config keys, so errors
about the image source are reworded to name those (`imageTag`, not `image_tag`).
"""

from __future__ import annotations

from components.fargate_service import IMAGE_PLATFORMS
from components.registry import ContainerImageBuild, ContainerRegistryArgs
from components.validation import InvalidArgumentError
from papyrus.settings import Settings

# Registry argument -> the config key that sets it.
CONFIG_KEYS = {
    "image_tag": "imageTag",
    "image_digest": "imageDigest",
    "image_build.context": "imageBuildContext",
    "image_build.dockerfile": "imageDockerfile",
    "image_build.platform": "cpuArchitecture",
}


def registry_image_args(settings: Settings) -> ContainerRegistryArgs:
    """The image arguments of the stack's registry: exactly one source, as the settings checked."""
    if settings.image_build_context is not None:
        build: ContainerImageBuild = {
            "context": settings.image_build_context,
            "dockerfile": settings.image_dockerfile,
            # The tasks run what was built: same architecture, or every task fails with "exec format error".
            "platform": IMAGE_PLATFORMS[settings.cpu_architecture],
        }
        return {"repository_name": repository_name(settings), "image_build": build}
    if settings.image_digest is not None:
        return {"repository_name": repository_name(settings), "image_digest": settings.image_digest}
    assert settings.image_tag is not None  # settings require exactly one source
    return {"repository_name": repository_name(settings), "image_tag": settings.image_tag}


def repository_name(settings: Settings) -> str:
    return f"{settings.project}-{settings.stack}"


def as_config_error(error: InvalidArgumentError, settings: Settings) -> InvalidArgumentError:
    """The registry's error about the image, reworded for the config key the user set; other errors as they are."""
    key = CONFIG_KEYS.get(error.key)
    if key is None:
        return error
    expected = error.expected.replace("with image_build", "with imageBuildContext (the app's Docker build context)")
    return InvalidArgumentError(f"stack {settings.stack!r} config", key, error.value, expected)
