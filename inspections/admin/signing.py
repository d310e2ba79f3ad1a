"""Admin of the authorities' signing keys: superusers only (a key decides whose name a record
carries); the PIN or passphrase itself is never entered here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from inspections.models import AuthoritySigner


@admin.register(AuthoritySigner)
class AuthoritySignerAdmin(admin.ModelAdmin):
    list_display = ["authority", "backend", "pkcs11_token_label", "enabled", "updated_at"]
    list_filter = ["backend", "enabled"]
    search_fields = ["authority__name", "pkcs11_token_label"]
    autocomplete_fields = ["authority"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)
