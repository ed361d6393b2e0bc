"""Which environment variable the papyrus container reads from where (the article's .env split).

Secrets Manager holds three JSON secrets, grouped to pay for three secrets rather
than seven; SSM Parameter Store holds the plain settings.
"""

from __future__ import annotations

# env var -> (secret group, JSON key). Group names become `papyrus/<stack>/<group>`.
SECRET_ENV: dict[str, tuple[str, str]] = {
    "DB_USER": ("db", "username"),
    "DB_PASSWORD": ("db", "password"),
    "DB_HOST": ("db", "host"),
    "DB_NAME": ("db", "name"),
    "AUTH0_CLIENT_ID": ("auth0", "client_id"),
    "AUTH0_CLIENT_SECRET": ("auth0", "client_secret"),
    "FLASK_SECRET_KEY": ("flask", "secret_key"),
}

# SSM String parameters the program itself computes; `appParameters` adds the rest.
# AUTH0_AUDIENCE is the API identifier: the app asks for it at sign-in so the access
# token it forwards to the API carries the audience the JWT authorizer accepts.
PROGRAM_PARAMETERS: tuple[str, ...] = ("AUTH0_DOMAIN", "AUTH0_CALLBACK_URL", "AUTH0_AUDIENCE")

# Plain container environment the program sets directly.
PROGRAM_ENVIRONMENT: tuple[str, ...] = ("DB_PORT",)

RESERVED_ENV_NAMES: frozenset[str] = (
    frozenset(SECRET_ENV) | frozenset(PROGRAM_PARAMETERS) | frozenset(PROGRAM_ENVIRONMENT)
)
