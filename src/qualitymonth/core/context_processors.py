from qualitymonth.core.permissions import policy


def navigation(request):
    user = request.user
    return {
        "nav_is_staff_member": policy.is_staff_member(user),
        "nav_is_office": policy.is_office(user),
    }
