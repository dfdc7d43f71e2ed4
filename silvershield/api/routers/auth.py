"""The second factor for administrators' tokens."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from silvershield.api.auth import BearerAuth, actor_of
from silvershield.api.schemas.common import WRITE_ERRORS
from silvershield.orgs.services import api_token_verify_second_factor

router = Router(tags=["认证"])


class SecondFactorIn(Schema):
    otp: str = Field(min_length=6, max_length=8, description="身份验证器上的6位动态口令")


class SecondFactorOut(Schema):
    valid_until: dt.datetime


@router.post(
    "/auth/second-factor",
    auth=[BearerAuth(allow_without_second_factor=True)],
    response={200: SecondFactorOut, 400: WRITE_ERRORS[400], 401: WRITE_ERRORS[401]},
    operation_id="auth_second_factor",
    summary="管理员令牌动态口令验证（有效15分钟）",
)
def auth_second_factor(request: HttpRequest, payload: SecondFactorIn) -> SecondFactorOut:
    actor_of(request)
    token = api_token_verify_second_factor(raw=request.api_token_raw, otp=payload.otp)  # type: ignore[attr-defined]
    assert token.second_factor_until is not None
    return SecondFactorOut(valid_until=token.second_factor_until)
