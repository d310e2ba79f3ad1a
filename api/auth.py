"""API authentication: JWT login, refresh with rotation, revoke, and who the caller is (/me)."""

from __future__ import annotations

import contextlib

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import (
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.models import Authority, User
from inspections import access

from .errors import ApiError
from .schema import error_responses


def _invalid_token() -> ApiError:
    # One stable code and a translated message, whatever simplejwt's (English-only) reason was.
    return ApiError(
        "token_not_valid",
        _("Mã làm mới không hợp lệ, đã hết hạn hoặc đã bị thu hồi."),
        status_code=status.HTTP_401_UNAUTHORIZED,
    )


class LockedOut(exceptions.Throttled):
    """Too many failed logins for this account from this address (django-axes)."""

    default_code = "locked_out"

    def __init__(self, wait: float | None) -> None:
        # Throttled would append an English "Expected available in ..." sentence.
        exceptions.APIException.__init__(
            self,
            _("Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau."),
            "locked_out",
        )
        self.wait = wait


class LoginSerializer(TokenObtainPairSerializer):
    default_error_messages = {"no_active_account": _("E-mail hoặc mật khẩu không đúng.")}


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Access token (Bearer), short-lived.")
    refresh = serializers.CharField(help_text="Refresh token; single use (rotated).")


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class _TokenApi(APIView):
    """Token endpoints take no credentials but answer 401 (not 403) to bad ones."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def get_authenticate_header(self, request: Request) -> str:
        # DRF turns 401 into 403 when there is no WWW-Authenticate value to send.
        return 'Bearer realm="api"'


class LoginApi(_TokenApi):
    """Log in with e-mail and password; returns an access and a refresh token."""

    @extend_schema(
        tags=["auth"],
        request=inline_serializer(
            "LoginInput",
            {"email": serializers.EmailField(), "password": serializers.CharField()},
        ),
        responses={200: TokenPairSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        # An account already locked by axes fails even with the right password: say so, with
        # how long to wait, instead of "wrong password".
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not AxesProxyHandler.is_allowed(request, {"email": email}):
            cool_off = get_cool_off(request)
            raise LockedOut(cool_off.total_seconds() if cool_off else None)
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


def _require_current_password(raw: str) -> None:
    """Refuse (and blacklist) a refresh token issued before the password last changed.

    simplejwt checks the password stamp of access tokens only; a refresh token would otherwise
    keep minting access tokens that carry the old stamp for its whole 30-day life.
    """
    try:
        token = RefreshToken(raw)
    except TokenError:
        raise _invalid_token() from None
    user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
    stamp = token.get(jwt_settings.REVOKE_TOKEN_CLAIM)
    if user is not None and stamp and stamp == get_md5_hash_password(user.password):
        return
    with contextlib.suppress(TokenError):
        token.blacklist()
    raise _invalid_token()


class RefreshApi(_TokenApi):
    """Exchange a refresh token for a new pair; the old refresh token is blacklisted.

    Refused once the password has changed since the token was issued.
    """

    @extend_schema(
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={200: TokenPairSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        raw = request.data.get("refresh") if hasattr(request.data, "get") else None
        if isinstance(raw, str) and raw:
            _require_current_password(raw)
        serializer = TokenRefreshSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except (TokenError, InvalidToken):
            raise _invalid_token() from None
        return Response(serializer.validated_data)


class RevokeApi(_TokenApi):
    """Log out a device: blacklist its refresh token (the access token expires by itself)."""

    @extend_schema(
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={204: None, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError:
            raise _invalid_token() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- /me ----------------------------------------------------------------------------------


class WardSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()


class MyAuthoritySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Authority.Kind.choices)
    kind_display = serializers.CharField()
    province_code = serializers.IntegerField()
    province_name = serializers.CharField()
    wards = WardSerializer(many=True, help_text="Empty: the whole province.")
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    phone = serializers.CharField()
    language = serializers.ChoiceField(choices=User.Language.choices)
    is_superuser = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    authorities = MyAuthoritySerializer(many=True)
    headed_premises = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the premises the caller heads."
    )


def _me_payload(user: User) -> dict:
    authorities: dict[int, dict] = {}
    for m in access.memberships_of(user):
        a = m.authority
        entry = authorities.setdefault(
            a.pk,
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "kind_display": str(a.get_kind_display()),
                "province_code": a.province_code,
                "province_name": a.province_name,
                "wards": [
                    {"code": c, "name": n}
                    for c, n in zip(a.ward_codes or [], a.ward_names, strict=True)
                ],
                "roles": [],
            },
        )
        entry["roles"].append(m.role)
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "language": user.language,
        "is_superuser": user.is_superuser,
        "roles": sorted(access.roles_of(user)),
        "authorities": list(authorities.values()),
        "headed_premises": list(user.headed_premises.order_by("pk").values_list("pk", flat=True)),
    }


class MeApi(APIView):
    """The caller: profile, roles, authorities with their jurisdiction, premises they head."""

    @extend_schema(tags=["auth"], responses={200: MeSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(_me_payload(request.user)).data)
