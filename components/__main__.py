"""Entry point Pulumi runs for `pulumi package add` (see PulumiPlugin.yaml): hosts the components.

Pulumi runs this directory as a script, which puts the directory itself first on
sys.path; the package's parent must be importable for `import components` to work.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.provider import serve

if __name__ == "__main__":
    serve()
