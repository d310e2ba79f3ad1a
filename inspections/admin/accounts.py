"""Admin for users (e-mail login), inspecting authorities (jurisdiction by name) and memberships."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts import divisions
from accounts.models import Authority, Membership, User
from inspections import access

from .scoped import ScopedAdmin


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Pages with no service and no jurisdiction filter: for superusers only (a staff manager
    would otherwise read other tenants' rows or write around the services)."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ReadOnlyForStaffAdmin(ScopedAdmin):
    """Staff who are not superusers may look (within their jurisdiction) but not write: no
    service carries these changes, so the admin must not either."""

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def users_in_jurisdiction(user: User):
    """Users a staff manager may see or pick (access.users_pickable_by)."""
    return access.users_pickable_by(user)


class ProvinceListFilter(admin.SimpleListFilter):
    """Filter by province, listing only provinces present, by their Vietnamese name."""

    title = _("tỉnh/thành phố")
    parameter_name = "province"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        codes = model_admin.get_queryset(request).values_list("province_code", flat=True)
        # As text, as the admin compares them with the query string.
        return [(str(c), divisions.province_name(c)) for c in sorted(set(codes))]

    def queryset(self, request, queryset):
        return queryset.filter(province_code=self.value()) if self.value() else queryset


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "authority"]
    verbose_name = _("vai trò tại cơ quan")
    verbose_name_plural = _("vai trò tại cơ quan")

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def get_queryset(self, request):
        return super().get_queryset(request) & access.memberships_visible_to(request.user)


@admin.register(User)
class UserAdmin(ReadOnlyForStaffAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "language", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "memberships__role"]
    search_fields = ["email", "full_name", "phone"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "phone", "language")}),
        (
            _("Quyền"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return users_in_jurisdiction(request.user)


def ward_choices_with_province() -> list[tuple[int, str]]:
    # Labelled with the province so two wards of the same name in different provinces differ.
    return [
        (code, f"{name} — {_province_of_ward(code)}") for code, name in divisions.ward_choices()
    ]


def _province_of_ward(code: int) -> str:
    ward = divisions.ward(code)
    return divisions.province_name(ward.province_code) if ward is not None else ""


class AuthorityForm(forms.ModelForm):
    province_code = forms.TypedChoiceField(
        label=_("tỉnh/thành phố"), coerce=int, choices=divisions.province_choices
    )
    ward_codes = forms.TypedMultipleChoiceField(
        label=_("xã/phường thuộc thẩm quyền"),
        coerce=int,
        choices=ward_choices_with_province,
        required=False,
        widget=FilteredSelectMultiple(_("xã/phường"), is_stacked=False),
        help_text=_("Để trống: toàn bộ tỉnh/thành phố."),
    )

    class Meta:
        model = Authority
        fields = ["name", "kind", "province_code", "ward_codes", "address"]


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyForStaffAdmin):
    form = AuthorityForm
    list_display = ["name", "kind", "province", "wards"]
    list_filter = ["kind", ProvinceListFilter]
    search_fields = ["name", "address"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request) & access.authorities_visible_to(request.user)

    @admin.display(description=_("tỉnh/thành phố"), ordering="province_code")
    def province(self, obj: Authority) -> str:
        return obj.province_name

    @admin.display(description=_("xã/phường"))
    def wards(self, obj: Authority) -> str:
        return ", ".join(obj.ward_names) or str(_("Toàn tỉnh/thành phố"))


@admin.register(Membership)
class MembershipAdmin(ReadOnlyForStaffAdmin):
    list_display = ["user", "authority", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "authority__name"]
    autocomplete_fields = ["user", "authority"]
    list_select_related = ["user", "authority"]

    def get_queryset(self, request):
        return super().get_queryset(request) & access.memberships_visible_to(request.user)
