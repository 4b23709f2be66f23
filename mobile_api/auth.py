"""`POST /mobile/v1/auth/token`: an officer logs in from a phone, naming the device."""

from __future__ import annotations

import msgspec
from litestar import post
from litestar.params import JSONBody

from service.usecases import auth
from service.web.deps import ServicesDep
from service.web.login import Password, TokenResponse, Username, token_response
from service.web.params import DeviceId


class OfficerTokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Username
    password: Password
    device_id: DeviceId


@post("/token", status_code=200, summary="Log in (officer)")
async def officer_token(
    data: JSONBody[OfficerTokenRequest], services: ServicesDep
) -> TokenResponse:
    """Exchange an officer's username (ID number) and password for tokens.

    The first device an officer logs in from becomes the bound device.
    """
    pair = await auth.login(
        services,
        data.username,
        data.password,
        kind=auth.ClientKind.OFFICER,
        device_id=data.device_id,
    )
    return token_response(pair)
