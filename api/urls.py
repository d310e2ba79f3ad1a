"""API v1 routes. Each area keeps its views in its own module; routes are listed here."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import auth, premises

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", auth.LoginApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", auth.RefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/token/revoke/", auth.RevokeApi.as_view(), name="auth-token-revoke"),
    path("me/", auth.MeApi.as_view(), name="me"),
    path("premises/", premises.PremisesListApi.as_view(), name="premises-list"),
    path("premises/<int:pk>/", premises.PremisesDetailApi.as_view(), name="premises-detail"),
]

# Legal catalogue and obligations (issue 4).
from . import catalogue  # noqa: E402

urlpatterns += [
    path("requirements/", catalogue.RequirementListApi.as_view(), name="requirements"),
    path(
        "catalogue/versions/",
        catalogue.CatalogueVersionListApi.as_view(),
        name="catalogue-versions",
    ),
    path(
        "premises/<int:pk>/obligations/",
        catalogue.PremisesObligationsApi.as_view(),
        name="premises-obligations",
    ),
    path(
        "obligations/preview/",
        catalogue.ObligationPreviewApi.as_view(),
        name="obligations-preview",
    ),
]
