from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from audit.services import audit_record

from .models import RecoveryCode, TwoFactorDevice, User

admin.site.register(User, UserAdmin)


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Superusers reset a user who lost their phone by deleting the device."""

    list_display = ["user", "confirmed_at"]
    search_fields = ["user__username"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        RecoveryCode.objects.filter(user=obj.user).delete()
        super().delete_model(request, obj)
        audit_record(action="two_factor.disable", request=request, obj=obj.user)
