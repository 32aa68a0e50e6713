from qualitymonth.core.permissions import policy


def navigation(request):
    # Error pages can render before the authentication middleware ran (a bad Host header).
    user = getattr(request, "user", None)
    return {
        "nav_is_staff_member": policy.is_staff_member(user),
        "nav_is_office": policy.is_office(user),
    }
